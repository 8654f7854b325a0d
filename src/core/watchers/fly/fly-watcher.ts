// Watches one Fly.io app. With a token it polls the Machines API (every machine's state, checks
// and image), restarts machines whose checks stay critical while auto-restart is on, and reports
// deploys; without one it polls the app's health URL only.
// It reports changes, never polls: one 'fly.state' event per change of health, one 'fly.deploy'
// per deploy, one 'fly.restart' per restart asked for. The token never leaves the client's
// Authorization header: every message goes through redactToken on its way out.
import type { FlyHealth, FlyMachineSnapshot, FlyRestartResult, FlySnapshot } from '../../../shared/contract.ts';
import type { NewEvent } from '../../event-log.ts';
import { formatDuration } from '../../kit/units.ts';
import type { SubsystemHooks } from '../../subsystem.ts';
import { FlyApiError, redactToken } from './fly-api-error.ts';
import type { FlyConfig } from './fly-config.ts';
import {
  appHealth,
  type DeployRecord,
  deployBlame,
  detectDeploy,
  GONE_STATES,
  hasCriticalCheck,
  type MachineIdentity,
  machineHealth,
  machineHealthReason,
} from './fly-health.ts';
import { type FlyMachine, imageLabel } from './fly-machine.ts';
import { probeHealthUrl } from './health-url-probe.ts';
import { type BreakerSettings, MachinesClient } from './machines-client.ts';
import { MAX_POLL_BACKOFF_MS, nextPollDelay, UNREACHABLE_AFTER_FAILURES } from './poll-backoff.ts';
import type { RateLimit } from './token-bucket.ts';

export interface FlyWatcherOptions {
  /** FLY_API_TOKEN (or the secret store's); null polls the health URL only. */
  token: string | null;
  /** Tests shorten these; the defaults follow Fly's documented limits. */
  rateLimit?: RateLimit;
  breaker?: BreakerSettings;
  maxBackoffMs?: number;
  fetch?: typeof fetch;
}

interface MachineTrack {
  machine: FlyMachine;
  health: FlyHealth;
  /** When Vigil first saw the machine in its current Fly state. */
  stateSince: number;
  /** When Vigil first saw a critical check in the current run of critical polls. */
  criticalSince: number | null;
  /** Attempts, not successes, count toward min_interval: a restart that errors is not retried in a loop. */
  lastRestartAttemptAt: number | null;
  lastRestartAt: number | null;
  restarting: boolean;
}

type Problem = 'auth' | 'not-found' | null;

export class FlyWatcher {
  private readonly config: FlyConfig;
  private readonly hooks: SubsystemHooks;
  private readonly token: string | null;
  private readonly client: MachinesClient | null;
  private readonly maxBackoffMs: number;
  private readonly doFetch: typeof fetch | undefined;

  private readonly tracks = new Map<string, MachineTrack>();
  private identities: Map<string, MachineIdentity> | null = null;
  private lastDeploy: (DeployRecord & { healthySince: boolean }) | null = null;
  private blamedDeployAt: number | null = null;
  private health: FlyHealth = 'unknown';
  private error: string | null = null;
  private problem: Problem = null;
  private lastPollAt: number | null = null;
  private failuresInRow = 0;

  private running = false;
  private timer: unknown = null;
  private abort: AbortController | null = null;
  private inFlight: Promise<void> | null = null;
  private warnedNoToken = false;
  private lastPushed = '';

  constructor(config: FlyConfig, hooks: SubsystemHooks, options: FlyWatcherOptions) {
    this.config = config;
    this.hooks = hooks;
    this.token = options.token && options.token.trim() !== '' ? options.token.trim() : null;
    this.maxBackoffMs = options.maxBackoffMs ?? MAX_POLL_BACKOFF_MS;
    this.doFetch = options.fetch;
    this.client = this.token
      ? new MachinesClient({
          api: config.api,
          app: config.app,
          token: this.token,
          timeoutMs: config.timeout,
          clock: hooks.clock,
          ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
          ...(options.breaker ? { breaker: options.breaker } : {}),
          ...(options.fetch ? { fetch: options.fetch } : {}),
        })
      : null;
  }

  get mode(): FlySnapshot['mode'] {
    return this.client ? 'machines-api' : 'health-url';
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    if (!this.client && !this.warnedNoToken) {
      this.warnedNoToken = true;
      this.emit({
        type: 'fly.state',
        message:
          `No FLY_API_TOKEN: Vigil polls ${this.config.health_url} only. With auto_start_machines (Fly's default) each request wakes ` +
          `stopped machines, so this polling can keep ${this.config.app} awake. Set FLY_API_TOKEN to read the Machines API instead.`,
        reason: 'no-token',
      });
    }
    this.schedule(0);
  }

  /** Stops polling; resolves once a poll in flight has wound down. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) this.hooks.clock.clearTimeout(this.timer);
    this.timer = null;
    this.abort?.abort();
    await this.inFlight?.catch(() => undefined);
  }

  snapshot(): FlySnapshot {
    return {
      app: this.config.app,
      health: this.health,
      error: this.error === null ? null : this.redact(this.error),
      mode: this.mode,
      healthUrl: this.config.health_url,
      machines: [...this.tracks.values()].map((t) => this.machineSnapshot(t)),
      lastPollAt: this.lastPollAt === null ? null : new Date(this.lastPollAt).toISOString(),
      lastDeployAt: this.lastDeploy ? new Date(this.lastDeploy.at).toISOString() : null,
    };
  }

  /**
   * Asks Fly to restart one machine (by id or name) or every machine. Manual restarts ignore
   * auto-restart and min_interval (the user asked), but still go through the rate limit and the
   * circuit breaker. Throws when there is no token or no such machine; per-machine API failures
   * come back in the results.
   */
  async restartMachine(target: string): Promise<FlyRestartResult[]> {
    if (!this.client) throw new Error(`restarting a Fly machine needs the Machines API: set FLY_API_TOKEN and restart Vigil`);
    const all = [...this.tracks.values()];
    const chosen = target === 'all' ? all : all.filter((t) => t.machine.id === target || t.machine.name === target);
    if (chosen.length === 0) {
      if (all.length === 0) throw new Error(`Vigil has not read the machine list of Fly app "${this.config.app}" yet${this.error ? ` (${this.redact(this.error)})` : ''}`);
      if (target === 'all') throw new Error(`Fly app "${this.config.app}" has no machines`);
      throw new Error(`no machine "${target}" in Fly app "${this.config.app}"; its machines: ${all.map((t) => `${t.machine.name} (${t.machine.id})`).join(', ')}`);
    }
    return Promise.all(chosen.map((track) => this.restartOne(track, 'manual')));
  }

  // ---- polling ----

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = this.hooks.clock.setTimeout(() => {
      this.timer = null;
      this.inFlight = this.tick();
    }, delayMs);
  }

  /** One poll and the next one's scheduling. Never rejects: it runs from a timer. */
  private async tick(): Promise<void> {
    let delay = this.config.interval;
    try {
      delay = this.client ? await this.pollMachines(this.client) : await this.pollHealthUrl();
    } catch (error) {
      // A bug in folding must not kill the watcher; it shows as the error and polling goes on.
      if (!this.running) return;
      this.error = this.redact(`Vigil's Fly watcher failed: ${(error as Error)?.message ?? String(error)}`);
      delay = nextPollDelay(this.config.interval, ++this.failuresInRow, null, this.maxBackoffMs);
    }
    if (!this.running) return;
    this.pushIfChanged();
    this.schedule(delay);
  }

  /** Returns the delay until the next poll. */
  private async pollMachines(client: MachinesClient): Promise<number> {
    let machines: FlyMachine[];
    try {
      machines = await client.listMachines(this.abort?.signal);
    } catch (error) {
      if (!this.running) return 0;
      return this.pollFailed(error);
    }
    if (!this.running) return 0;
    const now = this.hooks.clock.now();
    this.failuresInRow = 0;
    this.error = null;
    this.problem = null;
    this.lastPollAt = now;
    this.fold(machines, now);
    this.autoRestart(now);
    this.observePoll();
    return this.config.interval;
  }

  /** After a poll that reached Fly: whether the app and each machine are healthy, as series
   * for the metrics history (fly_up{app}, fly_machine_healthy{app,machine,region}). A poll that
   * did not reach Fly says nothing about the app, so it records nothing. */
  private observePoll(): void {
    const observe = this.hooks.observe;
    if (!observe) return;
    const app = this.config.app;
    observe('fly_up', this.health === 'healthy' ? 1 : 0, { app });
    for (const track of this.tracks.values()) {
      observe('fly_machine_healthy', track.health === 'healthy' ? 1 : 0, { app, machine: track.machine.name || track.machine.id, region: track.machine.region });
    }
  }

  private pollFailed(error: unknown): number {
    const failure = error instanceof FlyApiError ? error : new FlyApiError('network', `could not reach Fly's Machines API (${(error as Error)?.message ?? String(error)})`);
    this.failuresInRow += 1;
    this.error = this.redact(failure.message);
    const kind = failure.rootKind;
    if (kind === 'auth' || kind === 'not-found') {
      // Fly answered, so it is not unreachable; but Vigil cannot see the app. Say so once.
      if (this.problem !== kind) {
        this.problem = kind;
        this.setHealth('unknown', this.error, true);
      }
    } else if (kind !== 'rate-limited' && this.failuresInRow >= UNREACHABLE_AFTER_FAILURES) {
      // A 429 means Fly is there and asks Vigil to slow down: the last verdict stands meanwhile.
      this.setHealth('unreachable', this.error);
    }
    const retryAfter = failure.retryAfterMs ?? failure.lastFailure?.retryAfterMs ?? null;
    return nextPollDelay(this.config.interval, this.failuresInRow, retryAfter, this.maxBackoffMs);
  }

  private async pollHealthUrl(): Promise<number> {
    const result = await probeHealthUrl(this.config.health_url, this.config.timeout, this.abort?.signal, this.doFetch);
    if (!this.running) return 0;
    if (result.health === 'unreachable') {
      this.failuresInRow += 1;
      this.error = this.redact(result.detail);
      if (this.failuresInRow >= UNREACHABLE_AFTER_FAILURES) this.setHealth('unreachable', this.error);
      return nextPollDelay(this.config.interval, this.failuresInRow, null, this.maxBackoffMs);
    }
    this.failuresInRow = 0;
    this.error = null;
    this.lastPollAt = this.hooks.clock.now();
    this.setHealth(result.health, result.health === 'down' ? result.detail : null);
    this.observePoll();
    return this.config.interval;
  }

  // ---- folding a machine list into the state ----

  private fold(listed: FlyMachine[], now: number): void {
    const machines = listed.filter((m) => !GONE_STATES.has(m.state));
    const current = machines.map((m) => ({ id: m.id, digest: m.image?.digest ?? null, instanceId: m.instanceId }));

    // Machines Vigil asked to restart lately: their new instance id, if any, is not a deploy.
    const recentMs = Math.max(60_000, 5 * this.config.interval);
    const restarted = new Set([...this.tracks.values()].filter((t) => t.lastRestartAttemptAt !== null && now - t.lastRestartAttemptAt < recentMs).map((t) => t.machine.id));
    const deploy = detectDeploy(this.identities, current, this.lastDeploy, now, undefined, restarted);
    this.identities = new Map(current.map((m) => [m.id, { digest: m.digest, instanceId: m.instanceId }]));
    if (deploy) {
      this.lastDeploy = { at: now, digest: deploy.digest, machines: deploy.machines, healthySince: false };
      const names = deploy.machines.map((id) => this.nameOf(id, machines)).join(', ');
      const first = machines.find((m) => m.id === deploy.machines[0]);
      const image = first ? imageLabel(first) : null;
      this.emit({
        type: 'fly.deploy',
        message: `Fly app ${this.config.app} was deployed: ${names} now run${image ? ` ${image}` : ' a new instance'}`,
        ...(deploy.machines.length === 1 ? { machine: deploy.machines[0]! } : {}),
        reason: deploy.digest,
      });
    }

    const seen = new Set<string>();
    for (const machine of machines) {
      seen.add(machine.id);
      const track = this.tracks.get(machine.id);
      const stateSince = track && track.machine.state === machine.state ? track.stateSince : now;
      const health = machineHealth({ state: machine.state, checks: machine.checks, stateSince, now, stuckAfterMs: this.config.stuck_after });
      const critical = hasCriticalCheck(machine.state, machine.checks);
      const criticalSince = critical ? (track?.criticalSince ?? now) : null;
      if (track) {
        const before = track.health;
        Object.assign(track, { machine, health, stateSince, criticalSince });
        if (before !== health) {
          this.emit({
            type: 'fly.state',
            machine: machine.id,
            message: `Fly machine ${machine.name} (${machine.region || '?'}) is ${health}: ${machineHealthReason(health, machine.state, machine.checks)}`,
          });
        }
      } else {
        // A machine's first sighting is not news on its own; the app's verdict covers it.
        this.tracks.set(machine.id, { machine, health, stateSince, criticalSince, lastRestartAttemptAt: null, lastRestartAt: null, restarting: false });
      }
    }
    for (const id of [...this.tracks.keys()]) if (!seen.has(id)) this.tracks.delete(id);

    const tracks = [...this.tracks.values()];
    const health = appHealth(tracks.map((t) => t.health));
    if (health === 'healthy' && this.lastDeploy) this.lastDeploy.healthySince = true;
    const unwell = tracks.filter((t) => t.health !== 'healthy').map((t) => `${t.machine.name} ${t.health}`);
    const blame = this.lastDeploy && this.blamedDeployAt !== this.lastDeploy.at ? deployBlame(health, this.lastDeploy, now) : null;
    if (blame) this.blamedDeployAt = this.lastDeploy!.at;
    const detail = tracks.length === 0 ? 'no machines' : unwell.length > 0 ? unwell.join(', ') : `${tracks.length} machine${tracks.length === 1 ? '' : 's'} healthy`;
    // The deploy call-out comes once per deploy, with the health change if there is one, else alone.
    this.setHealth(health, blame ? `${detail}; ${blame}` : detail, blame !== null, blame);
  }

  private nameOf(id: string, machines: FlyMachine[]): string {
    return machines.find((m) => m.id === id)?.name ?? id;
  }

  /** Sets the app's health, emitting one event when it changes (or when `force`d, for news that
   * does not change it, such as a refused token or a deploy call-out). */
  private setHealth(next: FlyHealth, detail: string | null, force = false, reason: string | null = null): void {
    const changed = next !== this.health;
    this.health = next;
    if (!changed && !force) return;
    const what = next === 'unreachable' ? 'unreachable: Vigil cannot reach Fly (this says nothing about the app itself)' : next;
    this.emit({
      type: 'fly.state',
      message: `Fly app ${this.config.app} is ${what}${detail ? ` (${detail})` : ''}`,
      ...(reason ? { reason } : {}),
    });
  }

  // ---- restarts ----

  private autoRestart(now: number): void {
    if (!this.client || this.client.circuit === 'open') return;
    for (const track of this.tracks.values()) {
      if (track.criticalSince === null || track.restarting) continue;
      if (now - track.criticalSince < this.config.restart.after) continue;
      if (track.lastRestartAttemptAt !== null && now - track.lastRestartAttemptAt < this.config.restart.min_interval) continue;
      // Read at each decision: the user may have switched auto-restart off a moment ago.
      if (!this.hooks.autoRestart()) return;
      void this.restartOne(track, 'auto').catch(() => undefined);
    }
  }

  private async restartOne(track: MachineTrack, why: 'auto' | 'manual'): Promise<FlyRestartResult> {
    const { id, name } = track.machine;
    const client = this.client!;
    const startedAt = this.hooks.clock.now();
    const criticalFor = track.criticalSince === null ? null : startedAt - track.criticalSince;
    track.restarting = true;
    track.lastRestartAttemptAt = startedAt;
    try {
      await client.restartMachine(id, this.abort?.signal);
      track.lastRestartAt = this.hooks.clock.now();
      track.criticalSince = null; // give the restarted machine a full `after` before judging again
      const because = why === 'auto' ? `its checks were critical for ${formatDuration(criticalFor ?? 0)} and auto-restart is on` : 'asked by the user';
      this.emit({ type: 'fly.restart', machine: id, reason: why, message: `Vigil restarted Fly machine ${name} (${id}): ${because}` });
      return { machine: id, name, ok: true, error: null };
    } catch (error) {
      const message = this.redact(error instanceof Error ? error.message : String(error));
      this.emit({ type: 'fly.restart', machine: id, reason: why, message: `Vigil could not restart Fly machine ${name} (${id}): ${message}` });
      return { machine: id, name, ok: false, error: message };
    } finally {
      track.restarting = false;
      this.pushIfChanged();
    }
  }

  // ---- output ----

  private machineSnapshot(track: MachineTrack): FlyMachineSnapshot {
    const m = track.machine;
    return {
      id: m.id,
      name: m.name,
      machineState: m.state,
      health: track.health,
      region: m.region,
      image: imageLabel(m),
      instanceId: m.instanceId,
      checks: m.checks.map((c) => ({ name: c.name, status: c.status, output: this.redact(c.output) })),
      lastRestartAt: track.lastRestartAt === null ? null : new Date(track.lastRestartAt).toISOString(),
    };
  }

  private redact(text: string): string {
    return redactToken(text, this.token);
  }

  private emit(event: Omit<NewEvent, 'service'>): void {
    const safe: NewEvent = { service: null, ...event, message: this.redact(event.message) };
    if (typeof event.reason === 'string') safe.reason = this.redact(event.reason);
    try {
      this.hooks.emit(safe);
    } catch {
      // A failing listener must not stop the watcher.
    }
  }

  /** Tells the engine when the snapshot changed; the poll time alone is not a change worth a push. */
  private pushIfChanged(): void {
    const { lastPollAt: _ignored, ...rest } = this.snapshot();
    const text = JSON.stringify(rest);
    if (text === this.lastPushed) return;
    this.lastPushed = text;
    try {
      this.hooks.changed();
    } catch {
      // As with emit: the engine's listener failing must not stop the watcher.
    }
  }
}
