// A service's health checks: fast polls until it first answers (readiness), then checks at a
// steady cadence, and for a watch-only service the checks that are all Vigil does with it. It
// owns the checks' timer and count of failures in a row; what a verdict means for the service
// (running, unhealthy, restart) it tells the runner, which owns the state.
import type { ServiceSnapshot, ServiceState } from '../../shared/contract.ts';
import type { ServiceConfig } from '../config/service-config.ts';
import type { Clock } from '../kit/clock.ts';
import { formatDuration } from '../kit/units.ts';
import { type ProbeResult, probe } from './health-probe.ts';
import { findPortHolder, isPortOpen } from './port-holder.ts';

/** The runner, as its health checks see it. */
export interface HealthSubject {
  readonly config: ServiceConfig;
  readonly state: ServiceState;
  readonly clock: Clock;
  /** False once a later launch or a stop superseded the checks of `generation`. */
  isCurrent(generation: number): boolean;
  /** The effective auto-restart switch, read at each decision. */
  autoRestart(): boolean;
  setState(state: ServiceState, reason: ServiceSnapshot['reason'], error: string | null, message?: string): void;
  /** The checks failed for good: end the process; the restart policy decides what comes next. */
  fail(kind: 'hang' | 'start-timeout', error?: string): void;
  /** Watch-only: the pid that holds the service's port, null when nothing answers. */
  setPid(pid: number | null): void;
  /** Every check of the current process as it completes (/metrics' latency histogram). */
  checked?(check: CompletedHealthCheck): void;
}

/** The last check of the current process: how long it took and whether it passed. */
export interface LastHealthCheck {
  ok: boolean;
  /** Measured on the monotonic clock (see health-probe.ts). */
  durationMs: number;
}

/** One check as it completes. */
export interface CompletedHealthCheck extends LastHealthCheck {
  /** A readiness poll: the service is starting, and is polled fast until the first pass. */
  readiness: boolean;
}

export class HealthMonitor {
  private readonly subject: HealthSubject;
  private verdict: boolean | null = null;
  private last: LastHealthCheck | null = null;
  private failures = 0;
  private timer: unknown = null;

  constructor(subject: HealthSubject) {
    this.subject = subject;
  }

  /** The last verdict: null before the first check of this process. */
  get healthy(): boolean | null {
    return this.verdict;
  }

  /** The last check of this process (readiness polls included), null before the first: what
   * the metrics sampler charts as the service's health latency. */
  get lastCheck(): LastHealthCheck | null {
    return this.last;
  }

  /** A new process: no verdict, no failures, no checks yet. */
  reset(): void {
    this.verdict = null;
    this.last = null;
    this.failures = 0;
  }

  /** Stops the checks (the process ended or is being ended) and forgets the verdict. */
  stop(): void {
    this.cancel();
    this.verdict = null;
    this.last = null;
  }

  /** One check of the current definition. Callers record() its result only if their checks
   * are still current: a check of a process being replaced says nothing about the next one. */
  private check(): Promise<ProbeResult> {
    const { health, healthTiming } = this.subject.config;
    return probe(health, healthTiming.timeoutMs);
  }

  private record(result: ProbeResult, readiness = false): void {
    this.last = { ok: result.ok, durationMs: result.durationMs };
    this.subject.checked?.({ ...this.last, readiness });
  }

  /** Cancels the next check, if one is scheduled. */
  cancel(): void {
    if (this.timer !== null) this.subject.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private after(ms: number, fn: () => void): void {
    this.timer = this.subject.clock.setTimeout(fn, ms);
  }

  /** Polls quickly until the first passing check, so "running" shows up as soon as it is true. */
  awaitReadiness(generation: number): void {
    const s = this.subject;
    const { health, healthTiming } = s.config;
    if (health.type === 'none') {
      this.verdict = true;
      s.setState('running', null, null);
      return;
    }
    const began = s.clock.now();
    let delay = 10;
    const tick = async () => {
      if (!s.isCurrent(generation) || s.state !== 'starting') return;
      const result = await this.check();
      if (!s.isCurrent(generation) || s.state !== 'starting') return;
      this.record(result, true);
      if (result.ok) {
        this.verdict = true;
        s.setState('running', null, null);
        this.scheduleCheck(generation);
        return;
      }
      if (s.clock.now() - began >= healthTiming.startTimeoutMs) {
        this.verdict = false;
        s.fail('start-timeout', `not healthy ${formatDuration(healthTiming.startTimeoutMs)} after start: ${result.detail}`);
        return;
      }
      delay = Math.min(delay * 1.5, healthTiming.intervalMs, 250);
      this.after(delay, () => void tick());
    };
    this.after(0, () => void tick());
  }

  /** Checks run at a steady cadence: a check that times out does not push the next one back,
   * so a hang is seen about interval x failures after it starts, not (interval + timeout) x
   * failures. */
  private scheduleCheck(generation: number, delayMs = this.subject.config.healthTiming.intervalMs): void {
    const s = this.subject;
    const { health, healthTiming } = s.config;
    if (health.type === 'none') return;
    this.after(delayMs, async () => {
      if (!s.isCurrent(generation)) return;
      const began = s.clock.now();
      const result = await this.check();
      if (!s.isCurrent(generation) || (s.state !== 'running' && s.state !== 'unhealthy')) return;
      this.record(result);
      if (result.ok) {
        this.failures = 0;
        this.verdict = true;
        if (s.state === 'unhealthy') s.setState('running', null, null, 'health check passes again');
      } else {
        this.failures++;
        if (this.failures >= healthTiming.failures) {
          this.verdict = false;
          if (s.state === 'running') {
            s.setState('unhealthy', 'hang', `health check failed ${this.failures} times in a row: ${result.detail}`);
          }
          if (s.autoRestart()) {
            s.fail('hang');
            return;
          }
        }
      }
      this.scheduleCheck(generation, Math.max(0, healthTiming.intervalMs - (s.clock.now() - began)));
    });
  }

  /** Watch-only: never started or stopped by Vigil, only checked. */
  watch(generation: number): void {
    const s = this.subject;
    const { healthTiming, port } = s.config;
    const poll = async (first: boolean) => {
      if (!s.isCurrent(generation)) return;
      const result = await this.check();
      if (!s.isCurrent(generation)) return;
      this.record(result);
      if (result.ok) {
        this.failures = 0;
        this.verdict = true;
        if (s.state !== 'running') {
          const holder = port !== null ? await findPortHolder(port) : null;
          if (!s.isCurrent(generation)) return; // stopped while the process table was read
          s.setPid(holder?.pid ?? null);
          s.setState('running', null, null, 'answers its health check');
        }
      } else if (first || ++this.failures >= healthTiming.failures) {
        this.verdict = false;
        const listening = port !== null && (await isPortOpen(port, healthTiming.timeoutMs));
        if (!s.isCurrent(generation)) return;
        if (listening) s.setState('unhealthy', 'hang', `health check fails: ${result.detail}`);
        else {
          s.setPid(null);
          s.setState('stopped', 'not-found', `nothing answers: ${result.detail}`);
        }
      }
      this.after(healthTiming.intervalMs, () => void poll(false));
    };
    s.setState('starting', null, null, 'watching (Vigil does not run this service)');
    void poll(true);
  }
}
