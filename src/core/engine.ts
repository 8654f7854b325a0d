// The engine, and the composition root of src/core: loads the stack, hands it to the supervisor
// (the services) and to every subsystem (tunnels, Fly.io, metrics; see subsystem.ts), and owns
// the state snapshot and the event stream. Everything that drives Vigil (HTTP API, CLI, Electron main,
// the engine host) goes through this class.
import path from 'node:path';
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
import { type LoadedStack, StackFileError } from './config/stack-file-error.ts';
import { watchStackFiles } from './config/stack-watcher.ts';
import { EventLog, type NewEvent } from './event-log.ts';
import { demoStackFile, type VigilPaths, vigilPaths } from './paths.ts';
import { MetricsSubsystem } from './metrics/metrics-subsystem.ts';
import type { MetricsSamplerOptions } from './metrics/samplers/metrics-sampler.ts';
import { Settings } from './settings.ts';
import { ensureVigilHome } from './private-files.ts';
import { listSubsystems, snapshotSections, type SubsystemHooks, type Subsystems } from './subsystem.ts';
import { freePort, portHolder } from './supervisor/free-port.ts';
import { ProcessRecords } from './supervisor/process-records.ts';
import type { CompletedHealthCheck } from './supervisor/health-monitor.ts';
import type { ServiceView } from './supervisor/service-runner.ts';
import { Supervisor } from './supervisor/supervisor.ts';
import { FlySubsystem } from './watchers/fly/fly-subsystem.ts';
import { TunnelsSubsystem } from './watchers/tunnels/tunnels-subsystem.ts';
import { VERSION } from './version.ts';

/** The snapshot's sections that subsystems own. A new subsystem (alerts) adds its section to
 * StateSnapshot, its name here, its class below and itself in the constructor. */
type SubsystemSections = Pick<StateSnapshot, 'tunnels' | 'fly' | 'metrics'>;

interface EngineSubsystems extends Subsystems<SubsystemSections> {
  tunnels: TunnelsSubsystem;
  fly: FlySubsystem;
  metrics: MetricsSubsystem;
}

export type HealthCheckListener = (service: string, check: CompletedHealthCheck) => void;

export interface EngineOptions {
  /** Stack files; none means the demo stack. */
  files?: string[];
  paths?: VigilPaths;
  clock?: Clock;
  /** Reload stack files when they change (default true). */
  watch?: boolean;
  random?: () => number;
  /** Where the engine's own warnings go (a metrics source that cannot be read); stderr by default. */
  warn?: (message: string) => void;
  /** Tests: other sources for the metrics sampler. */
  sampler?: Pick<MetricsSamplerOptions, 'system' | 'trees' | 'slowIntervalMs'>;
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
  private readonly healthCheckListeners = new Set<HealthCheckListener>();
  private readonly startedAt = new Date();
  private readonly watchFiles: boolean;
  private stopWatching: (() => void) | null = null;
  private readonly subsystems: EngineSubsystems;
  private readonly clock: Clock;
  private stateTimer: NodeJS.Timeout | null = null;
  private reloading: Promise<void> = Promise.resolve();
  private shuttingDown = false;

  constructor(options: EngineOptions = {}) {
    this.paths = options.paths ?? vigilPaths();
    ensureVigilHome(this.paths.home);
    this.demo = !options.files || options.files.length === 0;
    this.files = this.demo ? [demoStackFile()] : options.files!.map((f) => path.resolve(f));
    this.watchFiles = options.watch ?? true;
    // Throws SettingsError (file, field, what is expected) for a bad metrics setting.
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
      onHealthCheck: (service, check) => {
        for (const listener of this.healthCheckListeners) {
          try {
            listener(service, check);
          } catch {
            // a listener's failure is its own; the checks go on
          }
        }
      },
      random: options.random,
    });
    const hooks = this.subsystemHooks();
    const warn = options.warn ?? ((message: string) => console.error(`vigil: ${message}`));
    this.subsystems = {
      tunnels: new TunnelsSubsystem(hooks),
      fly: new FlySubsystem(hooks, { token: () => process.env.FLY_API_TOKEN || null }),
      metrics: new MetricsSubsystem({
        hooks,
        home: this.paths.home,
        settings: this.settings.metrics,
        services: () => this.supervisor.services,
        warn,
        sampler: options.sampler,
      }),
    };
  }

  /** Samples, history, queries, live ticks and who is looking (see metrics-subsystem.ts). */
  get metrics(): MetricsSubsystem {
    return this.subsystems.metrics;
  }

  /** What every subsystem gets from the engine. Observations go to the metrics history. */
  private subsystemHooks(): SubsystemHooks {
    return {
      clock: this.clock,
      emit: (event) => this.emit(event),
      onEvent: (listener) => this.events.subscribe(listener),
      observe: (name, value, labels) => this.subsystems.metrics.observe(name, value, labels),
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

  /** Loads the stack and starts it. A broken stack file is reported, not thrown: the engine
   * keeps running and starts the stack once the file is fixed. */
  async start(): Promise<void> {
    // History first: the events of the first load belong in it, with ids after the stored ones.
    this.events.continueAfter(this.subsystems.metrics.start());
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
      const watching = await this.applyToSubsystems(stack);
      const parts = (['added', 'changed', 'updated', 'removed'] as const)
        .filter((k) => result[k].length > 0)
        .map((k) => `${k} ${result[k].join(', ')}${k === 'updated' ? ' without a restart' : ''}`);
      if (watching.length > 0) parts.push(`watching: ${watching.join(', ')}`);
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

  /** The one reconcile step: every subsystem, in turn, follows the loaded stack. */
  private async applyToSubsystems(stack: LoadedStack): Promise<string[]> {
    const changes: string[] = [];
    for (const subsystem of listSubsystems<SubsystemSections>(this.subsystems)) changes.push(...(await subsystem.apply(stack)));
    return changes;
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

  /** Every health check of every service as it completes (/metrics' latency histogram). */
  onHealthCheck(listener: HealthCheckListener): () => void {
    this.healthCheckListeners.add(listener);
    return () => this.healthCheckListeners.delete(listener);
  }

  /** The supervised services as they are now, each with its current definition (a reload
   * that changed only a service's metrics: updates it in place): what the metrics sampler
   * follows (sampledServices() in metrics/samplers). */
  supervisedServices(): readonly ServiceView[] {
    return this.supervisor.services;
  }

  snapshot(): StateSnapshot {
    return {
      version: VERSION,
      engine: { pid: process.pid, startedAt: this.startedAt.toISOString(), home: this.paths.home },
      autoRestart: this.settings.globalAutoRestart,
      demo: this.demo,
      files: this.files.map((file) => ({ file, error: this.fileErrors.get(file) ?? null })),
      services: this.supervisor.services.map((r) => r.snapshot(this.settings.autoRestart(r.name), this.settings.override(r.name))),
      ...snapshotSections<SubsystemSections>(this.subsystems),
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

  /** Events with since < id < before, the newest `limit`, oldest first: from the history
   * file (across restarts of Vigil), or from memory while it cannot be opened. */
  eventPage(query: { since?: number; before?: number; limit?: number } = {}): { events: EngineEvent[]; before: number | null } {
    const limit = query.limit ?? 1000;
    return this.subsystems.metrics.eventPage({ after: query.since, before: query.before, limit }) ?? this.events.page(query.since, query.before, limit);
  }

  logs(service: string, count = 200, afterSeq = 0): LogLine[] {
    return this.supervisor.get(service).log.lines(count, afterSeq);
  }

  incidents(service: string): IncidentRecord[] {
    return this.supervisor.get(service).incidentsList();
  }

  portHolder(port: number): Promise<FreePortResult> {
    return portHolder(port);
  }

  /** Kills whatever holds `port` (only on request), then starts a service waiting for it. */
  freePort(port: number): Promise<FreePortResult> {
    return freePort(port, this.supervisor.services, (event) => this.emit(event));
  }

  /** Restarts a tunnel by restarting the service that runs its agent. */
  restartTunnel(name: string): Promise<void> {
    return this.subsystems.tunnels.restart(name);
  }

  /** Asks Fly.io to restart one machine, or "all"; one result per machine asked. */
  restartFlyMachine(machine: string): Promise<FlyRestartResult[]> {
    return this.subsystems.fly.restartMachine(machine);
  }

  /** SIGKILL to every service's process group, at once: the way out when a gentle stop takes
   * too long for the user. */
  killAllNow(): void {
    this.supervisor.killAllNow();
  }

  /** Stops every service (dependents first) and stops watching files. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    this.stopWatching?.();
    for (const subsystem of listSubsystems<SubsystemSections>(this.subsystems)) await subsystem.stop();
    if (this.stateTimer) clearTimeout(this.stateTimer);
    await this.reloading.catch(() => {});
    await this.supervisor.shutdown();
    // After the services' last transitions, so that they are kept, before the stop marker.
    this.subsystems.metrics.closeHistory();
  }
}
