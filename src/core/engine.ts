// The engine: loads the stack, supervises it, owns the state snapshot and the event stream.
// Everything that drives Vigil (HTTP API, CLI, Electron main) goes through this class.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type {
  AutoRestartRequest,
  EngineEvent,
  FlyRestartResult,
  FreePortResult,
  IncidentRecord,
  LogLine,
  ServiceAction,
  StateSnapshot,
} from '../shared/contract.ts';
import { type Clock, realClock } from './kit/clock.ts';
import { loadStackIsolated } from './config/load-stack-isolated.ts';
import { StackFileError } from './config/stack-file-error.ts';
import { watchStackFiles } from './config/stack-watcher.ts';
import { EventLog, type NewEvent } from './event-log.ts';
import { demoStackFile, type VigilPaths, vigilPaths } from './paths.ts';
import { NotFoundError } from './not-found-error.ts';
import { Settings } from './settings.ts';
import { findPortHolder, processGroupOf } from './supervisor/port-holder.ts';
import { ProcessRecords } from './supervisor/process-records.ts';
import { signalGroup, terminateProcess } from './supervisor/process-tree.ts';
import { Supervisor } from './supervisor/supervisor.ts';
import type { FlyConfig } from './watchers/fly/fly-config.ts';
import type { FlyWatcher } from './watchers/fly/fly-watcher.ts';
import type { WatcherHooks } from './watchers/watcher-hooks.ts';
import type { TunnelConfig } from './watchers/tunnels/tunnel-config.ts';
import type { TunnelWatcher } from './watchers/tunnels/tunnel-watcher.ts';
import { VERSION } from './version.ts';

export interface EngineOptions {
  /** Stack files; none means the demo stack. */
  files?: string[];
  paths?: VigilPaths;
  clock?: Clock;
  /** Reload stack files when they change (default true). */
  watch?: boolean;
  random?: () => number;
}

export class Engine {
  readonly paths: VigilPaths;
  readonly events = new EventLog();
  readonly settings: Settings;
  private readonly supervisor: Supervisor;
  private readonly files: string[];
  private readonly demo: boolean;
  private readonly fileErrors = new Map<string, string | null>();
  private readonly stateListeners = new Set<(state: StateSnapshot) => void>();
  private readonly startedAt = new Date();
  private readonly watchFiles: boolean;
  private stopWatching: (() => void) | null = null;
  private readonly tunnels = new Map<string, TunnelWatcher>();
  private fly: FlyWatcher | null = null;
  private flyConfig: FlyConfig | null = null;
  private readonly clock: Clock;
  private stateTimer: NodeJS.Timeout | null = null;
  private reloading: Promise<void> = Promise.resolve();
  private shuttingDown = false;

  constructor(options: EngineOptions = {}) {
    this.paths = options.paths ?? vigilPaths();
    mkdirSync(this.paths.home, { recursive: true, mode: 0o700 });
    this.demo = !options.files || options.files.length === 0;
    this.files = this.demo ? [demoStackFile()] : options.files!.map((f) => path.resolve(f));
    this.watchFiles = options.watch ?? true;
    this.settings = new Settings(this.paths.settings);
    this.clock = options.clock ?? realClock;
    this.supervisor = new Supervisor({
      clock: this.clock,
      logsDir: this.paths.logs,
      runDir: this.paths.run,
      records: new ProcessRecords(this.paths.processes),
      emit: (event) => this.emit(event),
      autoRestart: (service) => this.settings.autoRestart(service),
      onChange: () => this.stateChanged(),
      random: options.random,
    });
  }

  /** Loads the stack and starts it. A broken stack file is reported, not thrown: the engine
   * keeps running and starts the stack once the file is fixed. */
  async start(): Promise<void> {
    await this.reload('start');
    if (this.watchFiles) this.stopWatching = watchStackFiles(this.files, () => void this.queueReload());
  }

  private queueReload(): Promise<void> {
    // One failed reload must not stop every later one: the chain always goes on.
    this.reloading = this.reloading.catch(() => {}).then(() => this.reload('edit'));
    return this.reloading;
  }

  /** Re-reads the stack files now (the file watcher calls this on every edit). */
  reloadNow(): Promise<void> {
    return this.queueReload();
  }

  private async reload(trigger: 'start' | 'edit'): Promise<void> {
    if (this.shuttingDown) return;
    try {
      const stack = await loadStackIsolated(this.files);
      this.files.forEach((f) => this.fileErrors.set(f, null));
      const result = await this.supervisor.apply(stack.services);
      const tunnels = await this.applyTunnels(stack.tunnels);
      const fly = await this.applyFly(stack.fly);
      if (fly) tunnels.push(fly);
      const parts = (['added', 'changed', 'removed'] as const)
        .filter((k) => result[k].length > 0)
        .map((k) => `${k} ${result[k].join(', ')}`);
      if (tunnels.length > 0) parts.push(`watching: ${tunnels.join(', ')}`);
      const message =
        trigger === 'start' ? `loaded ${stack.services.length} services from ${this.files.join(', ')}` : parts.length ? `stack file change applied: ${parts.join('; ')}` : 'stack file saved; nothing changed';
      this.emit({ type: 'config.applied', service: null, message });
    } catch (err) {
      if (!(err instanceof StackFileError)) {
        // Not a problem the loader knew to report (a bug, a limit of a library): still the
        // user's edit is what triggered it, so say so and keep running as before.
        const where = this.files.join(', ');
        this.emit({ type: 'config.error', service: null, message: `${where}: could not apply the stack file: ${(err as Error).message}` });
        return;
      }
      for (const file of this.files) {
        const own = err.issues.filter((i) => path.resolve(i.file) === file);
        this.fileErrors.set(file, own.length ? err.message.split('\n').filter((l) => own.some((i) => l.startsWith(i.file))).join('\n') : null);
      }
      const keep = trigger === 'edit' ? ' The services keep running as before; fix the file and save again.' : '';
      this.emit({ type: 'config.error', service: null, message: `${err.message}${keep}` });
    }
  }

  private emit(event: NewEvent): EngineEvent {
    return this.events.append(event);
  }

  /** Snapshot pushes are coalesced: a burst of transitions yields one push. */
  private stateChanged(): void {
    if (this.stateTimer || this.stateListeners.size === 0) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = null;
      const state = this.snapshot();
      this.stateListeners.forEach((l) => l(state));
    }, 20);
  }

  onState(listener: (state: StateSnapshot) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  snapshot(): StateSnapshot {
    return {
      version: VERSION,
      engine: { pid: process.pid, startedAt: this.startedAt.toISOString(), home: this.paths.home },
      autoRestart: this.settings.globalAutoRestart,
      demo: this.demo,
      files: this.files.map((file) => ({ file, error: this.fileErrors.get(file) ?? null })),
      services: this.supervisor.services.map((r) => r.snapshot(this.settings.autoRestart(r.name), this.settings.override(r.name))),
      tunnels: [...this.tunnels.values()].map((t) => t.snapshot()),
      fly: this.fly?.snapshot() ?? null,
    };
  }

  /** Throws UnknownServiceError for a name not in the stack. */
  act(service: string, action: ServiceAction): Promise<string[]> {
    if (this.shuttingDown) return Promise.reject(new Error('Vigil is shutting down and starts nothing more'));
    return this.supervisor.act(service, action);
  }

  setAutoRestart(request: AutoRestartRequest): StateSnapshot {
    if (request.service === undefined) {
      if (request.enabled === null) throw new Error('the global auto-restart switch is on or off, not null');
      this.settings.setGlobal(request.enabled);
      this.emit({ type: 'settings.changed', service: null, message: `auto-restart ${request.enabled ? 'on' : 'off'} for the stack` });
    } else {
      this.supervisor.get(request.service);
      this.settings.setOverride(request.service, request.enabled);
      const what = request.enabled === null ? 'follows the global switch' : request.enabled ? 'on' : 'off';
      this.emit({ type: 'settings.changed', service: request.service, message: `auto-restart ${what}` });
    }
    this.stateChanged();
    return this.snapshot();
  }

  logs(service: string, count = 200, afterSeq = 0): LogLine[] {
    return this.supervisor.get(service).log.lines(count, afterSeq);
  }

  incidents(service: string): IncidentRecord[] {
    return this.supervisor.get(service).incidentsList();
  }

  async portHolder(port: number): Promise<FreePortResult> {
    return { port, holder: await findPortHolder(port), killed: false };
  }

  /** Kills whatever holds `port` (only on request), then starts a service waiting for it. */
  async freePort(port: number): Promise<FreePortResult> {
    const holder = await findPortHolder(port);
    if (!holder) return { port, holder: null, killed: false };
    const group = await processGroupOf(holder.pid);
    const own = this.supervisor.services.find((r) => {
      const { pid, watchOnly } = r.snapshot(false, null);
      return pid !== null && !watchOnly && (pid === holder.pid || pid === group);
    });
    if (own) throw new Error(`port ${port} is held by Vigil's own service "${own.name}"; use "vigil stop ${own.name}"`);
    await terminateProcess(holder.pid);
    this.emit({ type: 'service.state', service: null, message: `freed port ${port}: stopped pid ${holder.pid} (${holder.command})` });
    for (const runner of this.supervisor.services) {
      if (runner.config.port === port && runner.currentReason === 'port-in-use' && runner.isWanted) runner.start();
    }
    return { port, holder, killed: true };
  }

  /** Restarts a tunnel by restarting the service that runs its agent. */
  async restartTunnel(name: string): Promise<void> {
    const tunnel = this.tunnels.get(name);
    if (!tunnel) throw new NotFoundError(`no tunnel named "${name}" (tunnels: ${[...this.tunnels.keys()].join(', ') || 'none'})`);
    if (!tunnel.config.service) throw new NotFoundError(`tunnel "${name}" names no service that runs its agent (add "service:" to it)`);
    await tunnel.restart();
  }

  /** New tunnels start being watched, changed ones start over, removed ones stop. Returns
   * what changed ("added x", "changed y", "removed z"). */
  private async applyTunnels(configs: TunnelConfig[]): Promise<string[]> {
    const next = new Map(configs.map((c) => [c.name, c]));
    // Loaded on demand, like the Fly.io watcher: no tunnels, no tunnel code in memory.
    const { TunnelWatcher } = configs.length > 0 ? await import('./watchers/tunnels/tunnel-watcher.ts') : { TunnelWatcher: null };
    const changes: string[] = [];
    for (const [name, watcher] of this.tunnels) {
      const config = next.get(name);
      if (config && isDeepStrictEqual(config, watcher.config)) continue;
      watcher.stop();
      this.tunnels.delete(name);
      changes.push(`${config ? 'changed' : 'removed'} ${name}`);
    }
    for (const config of configs) {
      if (this.tunnels.has(config.name)) continue;
      if (!changes.includes(`changed ${config.name}`)) changes.push(`added ${config.name}`);
      const watcher = new TunnelWatcher!(config, this.watcherHooks());
      this.tunnels.set(config.name, watcher);
      watcher.start();
    }
    return changes;
  }

  private watcherHooks(): WatcherHooks {
    return {
      clock: this.clock,
      emit: (event) => this.emit(event),
      changed: () => this.stateChanged(),
      autoRestart: () => this.settings.globalAutoRestart,
      restartService: async (name) => {
        await this.supervisor.act(name, 'restart');
      },
      serviceOutput: (name) => {
        try {
          return this.supervisor.get(name).log.lines(500).map((l) => l.text);
        } catch {
          return []; // the service left the stack
        }
      },
    };
  }

  /** Asks Fly.io to restart one machine, or "all"; one result per machine asked. */
  async restartFlyMachine(machine: string): Promise<FlyRestartResult[]> {
    if (!this.fly) throw new NotFoundError(`cannot restart "${machine}": the stack file has no "fly:" section`);
    return this.fly.restartMachine(machine);
  }

  /** Starts, restarts (when its section changed) or stops watching the Fly.io app. The token
   * comes from FLY_API_TOKEN, never from the stack file. */
  private async applyFly(config: FlyConfig | null): Promise<string | null> {
    if (this.fly && config && isDeepStrictEqual(this.flyConfig, config)) return null;
    const had = this.fly !== null;
    await this.fly?.stop();
    this.fly = null;
    this.flyConfig = config;
    if (!config) return had ? 'removed fly' : null;
    // Loaded on demand: a stack without Fly.io keeps its client and circuit breaker out of memory.
    const { FlyWatcher } = await import('./watchers/fly/fly-watcher.ts');
    this.fly = new FlyWatcher(config, this.watcherHooks(), { token: process.env.FLY_API_TOKEN || null });
    this.fly.start();
    return `${had ? 'changed' : 'added'} fly ${config.app}`;
  }

  /** SIGKILL to every service's process group, at once: the way out when a gentle stop takes
   * too long for the user. Watch-only services are not Vigil's to kill. */
  killAllNow(): void {
    for (const runner of this.supervisor.services) {
      const { pid, watchOnly } = runner.snapshot(false, null);
      if (pid !== null && !watchOnly) signalGroup(pid, 'SIGKILL');
    }
  }

  /** Stops every service (dependents first) and stops watching files. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    this.stopWatching?.();
    this.tunnels.forEach((t) => t.stop());
    await this.fly?.stop();
    if (this.stateTimer) clearTimeout(this.stateTimer);
    await this.reloading.catch(() => {});
    await this.supervisor.shutdown();
  }
}
