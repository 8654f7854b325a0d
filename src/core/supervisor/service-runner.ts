// One supervised service: the state machine that starts it, stops it, and decides what to do
// when it fails. Every state transition goes out as an event. Its helpers, each in a file:
//   health-monitor.ts      readiness and steady health checks, and watch-only services' checks
//   service-definition.ts  what of a definition shapes the process: spawned from, recorded, compared
//   adoption.ts            taking over a process an earlier engine left running
//   incidents.ts           what a crash leaves for the user: the exit and the last lines
//   restart-policy.ts      the decision after a failure (a pure function)
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { IncidentRecord, ServiceSnapshot, ServiceState } from '../../shared/contract.ts';
import type { ServiceConfig } from '../config/service-config.ts';
import type { NewEvent } from '../event-log.ts';
import type { Clock } from '../kit/clock.ts';
import { formatDuration } from '../kit/units.ts';
import { judgeRecordedProcess, watchAdoptedExit } from './adoption.ts';
import { fingerprintOf } from './definition-fingerprint.ts';
import { type CompletedHealthCheck, HealthMonitor, type LastHealthCheck } from './health-monitor.ts';
import { Incidents } from './incidents.ts';
import { OutputFifos } from './output-fifos.ts';
import { findPortHolder, isPortOpen } from './port-holder.ts';
import type { ProcessRecords } from './process-records.ts';
import { signalGroup, terminateTree } from './process-tree.ts';
import { type Decision, decideAfterFailure, type Failure, type FailureHistory, NO_FAILURES } from './restart-policy.ts';
import { changedSettings, spawnDefinition } from './service-definition.ts';
import { serviceEnvironment } from './service-environment.ts';
import { ServiceLog } from './service-log.ts';

export interface RunnerHooks {
  clock: Clock;
  logsDir: string;
  /** Where the output FIFOs live (see output-fifos.ts). */
  runDir: string;
  records: ProcessRecords;
  emit(event: NewEvent): void;
  /** The effective auto-restart switch for this service, read at each decision. */
  autoRestart(service: string): boolean;
  /** Dependencies of `config` that are not running and healthy yet. */
  unmetDependencies(config: ServiceConfig): string[];
  /** Called after every state change (the supervisor wakes dependents, pushes snapshots). */
  changed(runner: ServiceRunner): void;
  /** Every health check as it completes (the /metrics latency histogram); must not throw. */
  onHealthCheck?(service: string, check: CompletedHealthCheck): void;
  random?: () => number;
}

/** A runner as the rest of the engine reads it (the metrics sampler, each tick and after each
 * reload): what it runs and under which definition, and no commands. */
export type ServiceView = Readonly<
  Pick<ServiceRunner, 'name' | 'config' | 'currentState' | 'currentPid' | 'isAdopted' | 'processStartedAt' | 'restartCount' | 'lastHealthCheck'>
>;

type Reason = ServiceSnapshot['reason'];
type ExpectedExit = 'stop' | 'hang' | 'start-timeout';

const PORT_RETRY_MS = 2000;

export class ServiceRunner {
  config: ServiceConfig;
  readonly log: ServiceLog;
  private readonly output: OutputFifos;
  /** False where FIFOs cannot be made: output then goes through ordinary pipes. */
  private outputViaFifos: boolean | null = null;
  private readonly hooks: RunnerHooks;

  private state: ServiceState = 'stopped';
  private reason: Reason = null;
  private error: string | null = null;
  private child: ChildProcess | null = null;
  private pid: number | null = null;
  private adopted = false;
  private startedAt: number | null = null;
  private restarts = 0;
  private history: FailureHistory = NO_FAILURES;
  private readonly health: HealthMonitor;
  private lastExit: ServiceSnapshot['lastExit'] = null;
  private readonly incidents: Incidents;
  private nextStartAt: number | null = null;
  /** The log has said which engine secrets were kept out of its environment. */
  private saidWithheld = false;

  /** Whether the user wants it running (start/restart yes, stop no). */
  private wanted = false;
  /** Removed from the stack or the engine is shutting down: nothing may start any more. */
  private closed = false;
  /** Bumped by every launch and stop, so that callbacks of an earlier attempt do nothing. */
  private generation = 0;
  private pendingTimer: unknown = null;
  private expectExit: ExpectedExit | null = null;
  private stopReason: 'user' | 'removed' = 'user';
  private exitWaiters: (() => void)[] = [];

  constructor(config: ServiceConfig, hooks: RunnerHooks) {
    this.config = config;
    this.hooks = hooks;
    this.log = new ServiceLog({
      dir: hooks.logsDir,
      name: config.name,
      maxSizeBytes: config.logs.maxSizeBytes,
      files: config.logs.files,
    });
    this.output = new OutputFifos(hooks.runDir, config.name);
    this.incidents = new Incidents({ service: config.name, log: this.log, clock: hooks.clock, recorded: () => hooks.changed(this) });
    const runner = this;
    this.health = new HealthMonitor({
      get config() {
        return runner.config;
      },
      get state() {
        return runner.state;
      },
      clock: hooks.clock,
      isCurrent: (generation) => generation === this.generation,
      autoRestart: () => hooks.autoRestart(this.name),
      setState: (state, reason, error, message) => this.setState(state, reason, error, message),
      fail: (kind, error) => {
        if (error !== undefined) this.error = error;
        void this.fail(kind);
      },
      setPid: (pid) => {
        this.pid = pid;
      },
      checked: (check) => hooks.onHealthCheck?.(this.name, check),
    });
  }

  /** Opens the output FIFOs once and feeds them to the log; they serve every later process. */
  private async connectOutput(): Promise<void> {
    if (this.outputViaFifos !== null) return;
    try {
      const streams = await this.output.open();
      if (this.outputViaFifos !== null) return;
      this.log.attach(streams.stdout, 'stdout');
      this.log.attach(streams.stderr, 'stderr');
      this.outputViaFifos = true;
    } catch (err) {
      this.outputViaFifos = false;
      this.log.note(`output through ordinary pipes (no FIFO: ${(err as Error).message}); it will not survive an engine crash`);
    }
  }

  get name(): string {
    return this.config.name;
  }

  get currentState(): ServiceState {
    return this.state;
  }

  get currentReason(): Reason {
    return this.reason;
  }

  /** The root of the service's process tree: its child, an adopted process, or for a
   * watch-only service the holder of its port. Null while there is none. */
  get currentPid(): number | null {
    return this.pid;
  }

  /** Left running by an earlier engine and taken over. */
  get isAdopted(): boolean {
    return this.adopted;
  }

  /** When the current process started (on the engine's clock), null while there is none. */
  get processStartedAt(): number | null {
    return this.pid !== null ? this.startedAt : null;
  }

  /** Restarts since the engine started, as the snapshot counts them. */
  get restartCount(): number {
    return this.restarts;
  }

  /** The current process's last health check: its duration and whether it passed. */
  get lastHealthCheck(): LastHealthCheck | null {
    return this.health.lastCheck;
  }

  /** Running and passing its health check: what depends_on waits for. */
  get isHealthy(): boolean {
    return this.state === 'running';
  }

  get isWanted(): boolean {
    return this.wanted;
  }

  get watchOnly(): boolean {
    return this.config.command === null;
  }

  // ---- commands -------------------------------------------------------------------------

  start(): void {
    if (this.closed) return;
    this.wanted = true;
    // A start while a stop is under way is remembered: the exit handler launches again.
    if (this.hasProcess() || this.state === 'starting') return;
    this.history = NO_FAILURES;
    void this.launch();
  }

  async stop(reason: 'user' | 'removed' = 'user'): Promise<void> {
    this.wanted = false;
    if (reason === 'removed') this.closed = true;
    this.generation++;
    this.clearTimers();
    this.nextStartAt = null;
    if (this.ownsProcess()) {
      this.stopReason = reason;
      await this.terminate('stop');
    } else {
      // Watch-only: forget the watched process; it is not Vigil's to stop.
      this.pid = null;
      this.health.stop();
      this.setState('stopped', reason, null, reason === 'removed' ? 'removed from the stack file' : 'stopped');
    }
  }

  /** A user's restart: a full stop, then a start (so depends_on gates the start again). */
  async restart(): Promise<void> {
    if (this.closed) return;
    await this.stop('user');
    this.startAgain();
  }

  /** The second half of a restart, once the service is stopped. */
  startAgain(): void {
    if (this.closed) return;
    this.restarts++;
    this.start();
  }

  /** Applies a changed definition: restarts the service under it if it was running. */
  async reconfigure(config: ServiceConfig): Promise<void> {
    const wasWanted = this.wanted;
    const fields = changedSettings(this.config, config);
    const message = `definition changed in the stack file (${fields.join(', ')})${wasWanted ? ': restarting it' : ''}`;
    this.hooks.emit({ type: 'service.redefined', service: this.name, message, fields });
    if (this.hasProcess() || this.state !== 'stopped') await this.stop('user');
    this.config = config;
    if (wasWanted) this.start();
  }

  /** Applies a definition changed only in settings taken without a restart (see
   * editNeedsRestart): the service keeps running, and readers of `config` (the metrics
   * sampler) see the new one. */
  updateInPlace(config: ServiceConfig): void {
    const fields = changedSettings(this.config, config);
    this.config = config;
    this.log.note(`definition changed in the stack file (${fields.join(', ')}): taken without a restart`);
  }

  /** A dependency became healthy: start if this service was only waiting for it. */
  dependencyReady(): void {
    if (this.wanted && this.state === 'stopped' && this.reason === 'dependency') void this.launch();
  }

  async dispose(): Promise<void> {
    await this.stop('removed');
    await this.close();
  }

  /** Releases the log and the output FIFOs; call once the service is stopped for good. After
   * this the runner refuses to start anything. */
  async close(): Promise<void> {
    this.closed = true;
    this.wanted = false;
    this.output.close(true);
    await this.log.close();
  }

  // ---- launching ------------------------------------------------------------------------

  private hasProcess(): boolean {
    return this.pid !== null;
  }

  /** A process this runner started or adopted (a watch-only service's pid is only observed). */
  private ownsProcess(): boolean {
    return this.pid !== null && (this.child !== null || this.adopted);
  }

  private async launch(): Promise<void> {
    if (!this.wanted || this.closed) return;
    const generation = ++this.generation;
    this.clearTimers();
    this.nextStartAt = null;
    const stale = () => generation !== this.generation || !this.wanted;

    if (this.watchOnly) return this.health.watch(generation);

    const unmet = this.hooks.unmetDependencies(this.config);
    if (unmet.length > 0) {
      const names = unmet.map((n) => `"${n}"`).join(', ');
      this.setState('stopped', 'dependency', `waiting for ${names} to be running and healthy`);
      return;
    }
    await this.connectOutput();
    if (stale()) return;
    if (this.hooks.records.get(this.name) && (await this.tryAdopt(generation))) return;
    if (stale()) return;
    if (this.config.port !== null && (await isPortOpen(this.config.port, 300))) {
      const holder = await findPortHolder(this.config.port);
      if (stale()) return;
      const port = this.config.port;
      const who = holder ? `pid ${holder.pid} (${holder.command})` : 'a process Vigil cannot see';
      this.setState('stopped', 'port-in-use', `port ${port} is already in use by ${who}; free it with "vigil free-port ${port}"`);
      this.schedule(PORT_RETRY_MS, () => void this.launch());
      return;
    }
    if (stale()) return; // stopped while the port was checked: starting now would orphan it
    this.spawnChild(generation);
  }

  private spawnChild(generation: number): void {
    // Everything that shapes the process comes from here, and goes into its record.
    const definition = spawnDefinition(this.config);
    const { command, cwd } = definition;
    if (!command) return;
    if (!existsSync(cwd)) {
      this.setState('stopped', 'spawn-failed', `cannot start: its cwd ${cwd} does not exist`);
      return;
    }
    let child: ChildProcess;
    let ends: ReturnType<OutputFifos['childEnds']> | null = null;
    const { env, withheld } = serviceEnvironment(process.env, definition);
    try {
      ends = this.outputViaFifos ? this.output.childEnds() : null;
      child = spawn(command.program, command.args, {
        cwd,
        env,
        detached: true, // its own process group: one signal reaches the whole tree
        stdio: ends ? ends.stdio : ['ignore', 'pipe', 'pipe'],
        shell: command.shell,
      });
    } catch (err) {
      this.setState('stopped', 'spawn-failed', `cannot start: ${(err as Error).message}`);
      return;
    } finally {
      if (ends) this.output.closeChildEnds(ends.fds);
    }
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (child.pid !== undefined) return; // errors after a successful spawn arrive as exits
      const why = err.code === 'ENOENT' ? `program "${command.program}" not found (is it installed and on PATH?)` : err.message;
      this.setState('stopped', 'spawn-failed', `cannot start: ${why}`);
    });
    if (child.pid === undefined) return; // the 'error' event above reports it
    const pid = child.pid;
    this.child = child;
    this.pid = pid;
    this.adopted = false;
    this.startedAt = this.hooks.clock.now();
    this.health.reset();
    if (child.stdout) this.log.attach(child.stdout, 'stdout');
    if (child.stderr) this.log.attach(child.stderr, 'stderr');
    child.once('exit', (code, signal) => this.onExit(child, code, signal));
    this.log.note(`started pid ${pid}: ${[command.program, ...command.args].join(' ')}`);
    if (withheld.length > 0 && !this.saidWithheld) {
      this.saidWithheld = true; // once per service, not at every restart
      this.log.note(`kept the engine's secrets out of its environment: ${withheld.join(', ')} (to pass one, list it under "pass_secrets:" in the stack file)`);
    }
    this.hooks.records.set(this.name, {
      pid,
      argv: [command.program, ...command.args],
      cwd,
      port: definition.port,
      startedAt: new Date(this.startedAt).toISOString(),
      definition: fingerprintOf(definition),
    });
    this.setState('starting', this.reason === 'crash' || this.reason === 'hang' ? this.reason : null, null, `started pid ${pid}`);
    this.health.awaitReadiness(generation);
  }

  /** A process recorded by an earlier engine still runs this service: take it over. */
  private async tryAdopt(generation: number): Promise<boolean> {
    const verdict = await judgeRecordedProcess(this.hooks.records.get(this.name), this.config);
    if (verdict.kind === 'none' || generation !== this.generation) return false;
    const { record } = verdict;
    if (verdict.kind === 'outdated') {
      // What a live edit would have done, had an engine been running: the same event type.
      const fields = verdict.changed;
      const message = `changed while Vigil was not running (${fields.join(', ')}): pid ${record.pid} runs the old definition, so it is stopped and the service started anew`;
      this.hooks.emit({ type: 'service.redefined', service: this.name, message, fields });
      this.log.note(message);
      await terminateTree(record.pid, this.config.stop.signal, this.config.stop.timeoutMs);
      this.hooks.records.delete(this.name);
      return false;
    }
    this.pid = record.pid;
    this.adopted = true;
    this.startedAt = Date.parse(record.startedAt) || this.hooks.clock.now();
    const adopted = `adopted pid ${record.pid}, left running by an earlier Vigil${verdict.caveat ? `; ${verdict.caveat}` : ''}`;
    this.hooks.emit({ type: 'service.adopted', service: this.name, message: adopted });
    this.log.note(adopted);
    this.setState('starting', null, null, `adopted pid ${record.pid}`);
    watchAdoptedExit(record.pid, this.hooks.clock, () => this.pid === record.pid && this.adopted, () => this.onExit(null, null, null));
    this.health.awaitReadiness(generation);
    return true;
  }

  // ---- stopping and failing -------------------------------------------------------------

  /** Ends the process tree; the exit handler then acts on `why`. */
  private async terminate(why: ExpectedExit): Promise<void> {
    const pid = this.pid;
    if (pid === null || !this.ownsProcess()) return;
    this.generation++; // silences health checks of the process being ended
    this.clearTimers();
    this.expectExit = why;
    const exited = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    const { signal, timeoutMs } = this.config.stop;
    this.log.note(`stopping (${why}) with ${signal}`);
    const how = await terminateTree(pid, signal, timeoutMs);
    if (how === 'killed') this.log.note(`still running ${formatDuration(timeoutMs)} after ${signal}: killed with SIGKILL`);
    if (this.adopted && this.pid === pid) this.onExit(null, null, null);
    await exited;
  }

  private async fail(kind: 'hang' | 'start-timeout'): Promise<void> {
    this.clearTimers();
    await this.terminate(kind);
  }

  private onExit(child: ChildProcess | null, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    const pgid = this.pid;
    const now = this.hooks.clock.now();
    const uptimeMs = this.startedAt === null ? 0 : now - this.startedAt;
    this.child = null;
    this.pid = null;
    this.adopted = false;
    this.health.stop();
    const expected = this.expectExit;
    // After a failure, whatever is left of the tree would hold the port against the next start.
    // (A stop leaves the rest of the tree its kill timeout: terminateTree handles it.)
    if (pgid !== null && expected !== 'stop') signalGroup(pgid, 'SIGKILL');
    this.lastExit = { code, signal, time: new Date(now).toISOString() };
    this.expectExit = null;
    const waiters = this.exitWaiters;
    this.exitWaiters = [];

    const how = signal ? `was killed by ${signal}` : code === null ? 'is gone' : `exited with code ${code}`;
    this.log.note(`${how} after ${formatDuration(uptimeMs)}`);
    const lastSeq = this.log.lines(1)[0]?.seq ?? 0;
    if (expected === 'stop') {
      this.hooks.records.delete(this.name);
      this.setState('stopped', this.stopReason, null, this.stopReason === 'removed' ? 'removed from the stack file' : 'stopped');
      if (this.wanted) void this.launch(); // a start arrived while it was stopping
    } else {
      const failure: Failure = expected === null ? { kind: 'exit', code, signal, uptimeMs } : { kind: expected, uptimeMs };
      if (expected === null) {
        this.hooks.emit({ type: 'service.exit', service: this.name, message: `${how} after ${formatDuration(uptimeMs)}`, exitCode: code, signal, uptimeMs });
      }
      const decision = this.decide(failure, now);
      // Restart time is what the user waits for: when the answer is "again, at once", the new
      // process is spawned before any bookkeeping. The port was this service's own a moment
      // ago, so the check for a foreign holder is skipped.
      const immediate = decision.action === 'restart' && decision.delayMs === 0 && this.wanted && this.hooks.unmetDependencies(this.config).length === 0;
      if (immediate) {
        this.hooks.records.delete(this.name); // spawnChild records the new process
        this.restarts++;
        this.reason = failure.kind === 'exit' ? 'crash' : 'hang';
        this.generation++;
        this.clearTimers();
        this.spawnChild(this.generation);
      } else {
        this.hooks.records.delete(this.name);
      }
      if (expected === null) this.incidents.record(child, { code, signal, uptimeMs, time: now, lastSeq });
      if (!immediate) this.applyDecision(decision, failure, now);
    }
    waiters.forEach((resolve) => resolve());
  }

  private decide(failure: Failure, now: number): Decision {
    const decision = decideAfterFailure(
      { restart: this.config.restart, crashLoop: this.config.crashLoop, autoRestart: this.hooks.autoRestart(this.name) },
      this.history,
      failure,
      now,
      this.hooks.random,
    );
    this.history = decision.history;
    return decision;
  }

  private applyDecision(decision: Decision, failure: Failure, now: number): void {
    const cause = failure.kind === 'exit' ? 'crash' : 'hang';
    if (!this.wanted) {
      this.setState('stopped', 'exit', null);
      return;
    }
    switch (decision.action) {
      case 'stay-down':
        this.setState('stopped', 'exit', `not restarted: ${decision.why}`);
        return;
      case 'restart':
        this.restarts++;
        this.reason = cause;
        if (decision.delayMs === 0) {
          void this.launch();
          return;
        }
        this.nextStartAt = now + decision.delayMs;
        this.setState('backoff', cause, `restarting in ${formatDuration(decision.delayMs)} (failure ${decision.history.consecutive} in a row)`);
        this.schedule(decision.delayMs, () => void this.launch());
        return;
      case 'crash-loop': {
        const { failures, windowMs, coolOffMs } = this.config.crashLoop;
        this.nextStartAt = now + decision.retryInMs;
        this.setState(
          'crash-looping',
          cause,
          `failed ${failures} times within ${formatDuration(windowMs)}; Vigil tries again in ${formatDuration(coolOffMs)}`,
        );
        this.schedule(decision.retryInMs, () => {
          // No transition of its own (the start that follows is one): an event type of its own.
          this.hooks.emit({ type: 'service.retry', service: this.name, message: 'crash-loop cool-off is over: trying again' });
          this.restarts++;
          void this.launch();
        });
        return;
      }
    }
  }

  // ---- bookkeeping ----------------------------------------------------------------------

  private schedule(ms: number, fn: () => void): void {
    if (this.pendingTimer !== null) this.hooks.clock.clearTimeout(this.pendingTimer);
    this.pendingTimer = this.hooks.clock.setTimeout(() => {
      this.pendingTimer = null;
      fn();
    }, ms);
  }

  private clearTimers(): void {
    this.health.cancel();
    if (this.pendingTimer !== null) this.hooks.clock.clearTimeout(this.pendingTimer);
    this.pendingTimer = null;
  }

  private setState(state: ServiceState, reason: Reason, error: string | null, message?: string): void {
    const from = this.state;
    const changed = from !== state || this.reason !== reason || this.error !== error;
    this.state = state;
    this.reason = reason;
    this.error = error;
    if (state !== 'backoff' && state !== 'crash-looping' && !(state === 'stopped' && reason === 'port-in-use')) this.nextStartAt = null;
    if (!changed) return;
    this.hooks.emit({
      type: 'service.state',
      service: this.name,
      from,
      to: state,
      reason,
      message: message ?? error ?? state,
    });
    this.hooks.changed(this);
  }

  incidentsList(): IncidentRecord[] {
    return this.incidents.list();
  }

  snapshot(autoRestart: boolean, override: boolean | null): ServiceSnapshot {
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    return {
      name: this.name,
      file: this.config.file,
      state: this.state,
      reason: this.reason,
      error: this.error,
      pid: this.pid,
      port: this.config.port,
      watchOnly: this.watchOnly,
      adopted: this.adopted,
      restarts: this.restarts,
      autoRestart,
      autoRestartOverride: override,
      startedAt: this.pid !== null ? iso(this.startedAt) : null,
      nextStartAt: iso(this.nextStartAt),
      lastExit: this.lastExit,
      lastIncident: this.incidents.latest,
      healthy: this.health.healthy,
      dependsOn: this.config.dependsOn,
    };
  }
}
