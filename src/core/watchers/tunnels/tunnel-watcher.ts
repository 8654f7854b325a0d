// Watches one tunnel of the stack: polls its agent (the ngrok agent API or cloudflared's metrics
// server), keeps a TunnelSnapshot, and reports changes to the engine as events: one per state
// change and one per public URL change, never one per poll. With auto-restart on, a tunnel that
// stays down gets the service that runs its agent restarted, at most once a minute.
import type { TunnelSnapshot, TunnelState } from '../../../shared/contract.ts';
import type { SubsystemHooks } from '../../subsystem.ts';
import { addressFromLog } from './address-from-log.ts';
import { baseUrl } from '../../kit/http-get.ts';
import { type CloudflaredCounters, discoverCloudflared, readCloudflared } from './cloudflared-client.ts';
import { discoverNgrokAgent, type NgrokTunnel, readNgrokAgent } from './ngrok-client.ts';
import type { TunnelConfig } from './tunnel-config.ts';
import { probeTarget, runProbe } from './tunnel-probe.ts';
import { cloudflaredVerdict, ngrokVerdict, type ProbeResult, urlChanges, type Verdict, withProbe } from './tunnel-state.ts';

/** Backoff ceiling: a dead agent is asked at most once a minute (unless the interval is longer). */
export const MAX_BACKOFF_MS = 60_000;
/** Polls in a row a tunnel must be down before Vigil restarts its agent's service. */
export const DOWN_POLLS_BEFORE_RESTART = 2;
/** Least time between two automatic restarts of the same agent: a restart takes a while to show. */
export const RESTART_COOL_OFF_MS = 60_000;

export class TunnelWatcher {
  readonly config: TunnelConfig;
  private readonly hooks: SubsystemHooks;
  private running = false;
  private timer: unknown = null;
  private inFlight: Promise<void> | null = null;

  /** Configured address, or the one discovery found (null until found). */
  private address: string | null;
  private state: TunnelState = 'unknown';
  private error: string | null = null;
  private publicUrls: string[] = [];
  /** Last URL seen per tunnel key, kept through outages to spot a URL that changed. */
  private knownUrls: Record<string, string> = {};
  private readyConnections: number | null = null;
  private probe: TunnelSnapshot['probe'] = null;
  private lastProbeAt = Number.NEGATIVE_INFINITY;
  private lastSeenAt: string | null = null;
  private consecutiveErrors = 0;
  private downPolls = 0;
  private lastRestartAt = Number.NEGATIVE_INFINITY;
  /** Said after the error while the tunnel is not up: what Vigil did about it. */
  private restartNote: string | null = null;
  private lastPushed = '';

  constructor(config: TunnelConfig, hooks: SubsystemHooks) {
    this.config = config;
    this.hooks = hooks;
    this.address = config.kind === 'ngrok' ? config.api : config.metrics;
    this.lastPushed = this.changeKey();
  }

  get name(): string {
    return this.config.name;
  }

  /** Starts polling at once, then every interval (longer while errors last). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) this.hooks.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  snapshot(): TunnelSnapshot {
    const note = this.state !== 'up' && this.restartNote ? ` (${this.restartNote})` : '';
    return {
      name: this.config.name,
      kind: this.config.kind,
      state: this.state,
      error: this.error === null ? null : this.error + note,
      publicUrls: [...this.publicUrls],
      service: this.config.service,
      address: this.address,
      readyConnections: this.readyConnections,
      expectedConnections: this.config.kind === 'cloudflared' ? this.config.connections : null,
      probe: this.probe ? { ...this.probe } : null,
      lastSeenAt: this.lastSeenAt,
    };
  }

  /** Restarts the service that runs this tunnel's agent (the user asked). Rejects when the
   * tunnel names no service, or when the supervisor cannot restart it. */
  async restart(): Promise<void> {
    const service = this.config.service;
    if (!service) {
      throw new Error(`tunnel "${this.config.name}" names no service that runs its agent, so Vigil cannot restart it: add "service: <name>" to its entry in the stack file`);
    }
    this.lastRestartAt = this.hooks.clock.now();
    this.downPolls = 0;
    await this.hooks.restartService(service);
    // Look again soon rather than after a long backoff: the agent is coming back.
    this.consecutiveErrors = 0;
    if (this.running) this.schedule(this.config.intervalMs);
  }

  /** One poll now (the timer's, or a caller's such as a "refresh" command). Never rejects;
   * overlapping calls share the poll in flight. */
  pollNow(): Promise<void> {
    if (!this.inFlight) {
      this.inFlight = this.poll()
        .catch((err: unknown) => {
          // A bug here must not kill the timer chain: show it as the tunnel's error.
          this.error = `Vigil could not check this tunnel: ${err instanceof Error ? err.message : String(err)}`;
        })
        .finally(() => {
          this.inFlight = null;
        });
    }
    return this.inFlight;
  }

  private schedule(delayMs: number): void {
    if (this.timer !== null) this.hooks.clock.clearTimeout(this.timer);
    this.timer = this.hooks.clock.setTimeout(() => {
      this.timer = null;
      void this.pollNow().then(() => {
        if (this.running && this.timer === null) this.schedule(this.nextDelay());
      });
    }, delayMs);
  }

  /** The interval, doubled for each failed reading in a row, up to a minute. */
  nextDelay(): number {
    const base = this.config.intervalMs;
    const cap = Math.max(base, MAX_BACKOFF_MS);
    return Math.min(cap, base * 2 ** Math.min(this.consecutiveErrors, 16));
  }

  private async poll(): Promise<void> {
    const { verdict, failed } = await this.look();
    this.consecutiveErrors = failed ? this.consecutiveErrors + 1 : 0;
    const final = withProbe(verdict, await this.maybeProbe(verdict));
    const now = this.hooks.clock.now();
    if (!failed) this.lastSeenAt = new Date(now).toISOString();

    const previous = this.state;
    this.state = final.state;
    this.error = final.error;
    this.publicUrls = final.publicUrls;
    if (final.state === 'up') this.restartNote = null;
    if (previous !== final.state) this.emitState(final);

    for (const change of urlChanges(this.knownUrls, final.urlsByKey)) {
      this.hooks.emit({
        type: 'tunnel.url',
        service: this.config.service,
        tunnel: this.config.name,
        oldUrl: change.oldUrl,
        newUrl: change.newUrl,
        message: `${this.label()}: public URL changed: ${change.oldUrl} -> ${change.newUrl}`,
      });
    }
    this.knownUrls = { ...this.knownUrls, ...final.urlsByKey };

    this.maybeAutoRestart(final.state, now);

    const key = this.changeKey();
    if (key !== this.lastPushed) {
      this.lastPushed = key;
      this.hooks.changed();
    }
  }

  /** Reads the agent (discovering it first when no address is configured). `failed` means no
   * usable answer: what backoff counts. */
  private async look(): Promise<{ verdict: Verdict; failed: boolean }> {
    const c = this.config;
    const configured = c.kind === 'ngrok' ? c.api : c.metrics;
    if (c.kind === 'ngrok' && !configured && c.configFile && 'disabled' in c.configFile) {
      const error = `ngrok's agent API is turned off (web_addr: false in ${c.configFile.file}); Vigil reads the tunnels from it`;
      return { verdict: { state: 'down', error, publicUrls: [], urlsByKey: {} }, failed: true };
    }
    if (!configured && !this.address) {
      // The agent's own words first (when Vigil runs it), then ngrok's config file, then the usual ports.
      const announced = c.service && this.hooks.serviceOutput ? addressFromLog(c.kind, this.hooks.serviceOutput(c.service)) : null;
      const fromConfigFile = c.kind === 'ngrok' && c.configFile && 'address' in c.configFile ? baseUrl(c.configFile.address) : null;
      this.address =
        announced ??
        fromConfigFile ??
        (c.kind === 'ngrok'
          ? await discoverNgrokAgent(c.discoveryHost, c.discoveryPorts, c.timeoutMs)
          : await discoverCloudflared(c.discoveryHost, c.discoveryPorts, c.timeoutMs));
      if (!this.address) {
        const what = c.kind === 'ngrok' ? 'ngrok agent API' : 'cloudflared metrics server';
        const key = c.kind === 'ngrok' ? 'api' : 'metrics';
        const error = `no ${what} found on ${c.discoveryHost} ports ${portList(c.discoveryPorts)}; is it running? If it listens elsewhere, set "${key}:" in the tunnel's entry`;
        this.readyConnections = null;
        return { verdict: { state: 'down', error, publicUrls: [], urlsByKey: {} }, failed: true };
      }
    }
    const address = this.address!;
    if (c.kind === 'ngrok') {
      const reading = await readNgrokAgent(address, c.timeoutMs);
      if (reading.reachable) this.observeNgrok(reading.tunnels);
      // A discovered agent that went away may come back on another port: look again next time.
      if (!reading.reachable && !configured) this.address = null;
      return { verdict: ngrokVerdict(reading, c.expect), failed: !reading.reachable || reading.error !== null };
    }
    const reading = await readCloudflared(address, c.timeoutMs);
    this.readyConnections = reading.reachable ? reading.readyConnections : null;
    if (reading.reachable) this.observeCloudflared(reading);
    if (!reading.reachable && !configured) this.address = null;
    return { verdict: cloudflaredVerdict(reading, c.connections), failed: !reading.reachable || reading.error !== null };
  }

  /** Probes through the public URL while the tunnel is up, at the probe's own interval; the
   * last result stands in between. */
  private async maybeProbe(verdict: Verdict): Promise<ProbeResult | null> {
    const probe = this.config.probe;
    if (!probe) return null;
    if (verdict.state !== 'up') {
      // Probe at once when it comes back: an old result says nothing about the new tunnel.
      this.lastProbeAt = Number.NEGATIVE_INFINITY;
      return null;
    }
    const target = probeTarget(probe, verdict.publicUrls);
    if (!target) return null;
    const now = this.hooks.clock.now();
    if (this.probe && now - this.lastProbeAt < probe.intervalMs) return this.probe;
    this.lastProbeAt = now;
    const outcome = await runProbe(target, probe.timeoutMs, () => this.hooks.clock.now());
    this.probe = { ok: outcome.ok, detail: outcome.detail, time: new Date(this.hooks.clock.now()).toISOString() };
    this.observe('tunnel_probe_ok', outcome.ok ? 1 : 0, {});
    this.observe('tunnel_probe_duration_ms', outcome.durationMs, {});
    return this.probe;
  }

  private maybeAutoRestart(state: TunnelState, now: number): void {
    this.downPolls = state === 'down' ? this.downPolls + 1 : 0;
    const service = this.config.service;
    if (!service || this.downPolls < DOWN_POLLS_BEFORE_RESTART) return;
    if (now - this.lastRestartAt < RESTART_COOL_OFF_MS) return;
    if (!this.hooks.autoRestart()) return;
    this.lastRestartAt = now;
    this.downPolls = 0;
    this.restartNote = `Vigil restarted service "${service}" at ${new Date(now).toISOString()}`;
    this.hooks.restartService(service).then(
      () => {
        this.consecutiveErrors = 0;
      },
      (err: unknown) => {
        this.restartNote = `Vigil tried to restart service "${service}" and failed: ${err instanceof Error ? err.message : String(err)}`;
        this.safeChanged();
      },
    );
  }

  private emitState(verdict: Verdict): void {
    const detail = verdict.state === 'up' ? (verdict.publicUrls.length > 0 ? verdict.publicUrls.join(', ') : 'no public URL reported') : (verdict.error ?? '');
    this.hooks.emit({
      type: 'tunnel.state',
      service: this.config.service,
      tunnel: this.config.name,
      reason: verdict.error,
      message: `${this.label()} is ${verdict.state}: ${detail}`,
    });
  }

  private label(): string {
    return `${this.config.kind} tunnel "${this.config.name}"`;
  }

  private observeNgrok(tunnels: NgrokTunnel[]): void {
    for (const t of tunnels) {
      for (const group of ['conns', 'http'] as const) {
        for (const [field, value] of Object.entries(t.metrics[group])) {
          if (value !== undefined) this.observe(`tunnel_ngrok_${group}_${field}`, value, { endpoint: t.name });
        }
      }
    }
  }

  private observeCloudflared(reading: { readyConnections: number | null; counters: CloudflaredCounters | null }): void {
    if (reading.readyConnections !== null) this.observe('tunnel_cloudflared_ready_connections', reading.readyConnections, {});
    const c = reading.counters;
    if (!c) return;
    if (c.totalRequests !== null) this.observe('tunnel_cloudflared_total_requests', c.totalRequests, {});
    if (c.requestErrors !== null) this.observe('tunnel_cloudflared_request_errors', c.requestErrors, {});
    if (c.haConnections !== null) this.observe('tunnel_cloudflared_ha_connections', c.haConnections, {});
  }

  private observe(name: string, value: number, labels: Record<string, string>): void {
    try {
      this.hooks.observe?.(name, value, { tunnel: this.config.name, kind: this.config.kind, ...labels });
    } catch {
      // The metrics store failing must not stop the watcher.
    }
  }

  private safeChanged(): void {
    try {
      this.hooks.changed();
    } catch {
      // Same: a listener's failure is not the tunnel's.
    }
  }

  /** What a client sees, minus timestamps that move on every poll (no push for those). */
  private changeKey(): string {
    const s = this.snapshot();
    return JSON.stringify({ ...s, lastSeenAt: null, probe: s.probe ? { ok: s.probe.ok, detail: s.probe.detail } : null });
  }
}

function portList(ports: number[]): string {
  const sorted = [...ports].sort((a, b) => a - b);
  const contiguous = sorted.every((p, i) => i === 0 || p === sorted[i - 1]! + 1);
  return contiguous && sorted.length > 2 ? `${sorted[0]}-${sorted[sorted.length - 1]}` : sorted.join(', ');
}
