// What a crash leaves for the user to read: how the process ended, after how long, and the last
// lines it wrote. The last INCIDENTS_KEPT of a service are kept, newest last.
import type { ChildProcess } from 'node:child_process';
import type { IncidentRecord } from '../../shared/contract.ts';
import type { Clock } from '../kit/clock.ts';
import type { ServiceLog } from './service-log.ts';

const INCIDENT_LINES = 50;
const INCIDENTS_KEPT = 20;
/** Through ordinary pipes the end of output is seen; this is how long to wait for it at most. */
const PIPE_DRAIN_MS = 250;
/** Through the FIFOs there is no end of output to wait for: the last lines get this moment. */
const FIFO_DRAIN_MS = 100;

export interface Crash {
  code: number | null;
  signal: string | null;
  uptimeMs: number;
  /** When it ended (clock time). */
  time: number;
  /** The last log line's seq at the exit: lines after it and before the next start are its own. */
  lastSeq: number;
}

export interface IncidentsOptions {
  service: string;
  log: ServiceLog;
  clock: Clock;
  /** An incident was recorded (the snapshot's lastIncident changed). */
  recorded(): void;
}

export class Incidents {
  private readonly options: IncidentsOptions;
  private readonly kept: IncidentRecord[] = [];

  constructor(options: IncidentsOptions) {
    this.options = options;
  }

  get latest(): IncidentRecord | null {
    return this.kept.at(-1) ?? null;
  }

  list(): IncidentRecord[] {
    return [...this.kept];
  }

  /** Records the crash once its output has drained: the last words of a crashing process (a
   * stack trace) often arrive after its exit. */
  record(child: ChildProcess | null, crash: Crash): void {
    const { clock } = this.options;
    let done = false;
    const take = () => {
      if (done) return; // the drain timer and the pipe's close both call it
      done = true;
      this.take(crash);
    };
    if (child?.stdout && !child.stdout.readableEnded) {
      const timer = clock.setTimeout(take, PIPE_DRAIN_MS);
      child.once('close', () => {
        clock.clearTimeout(timer);
        take();
      });
    } else {
      clock.setTimeout(take, FIFO_DRAIN_MS);
    }
  }

  private take(crash: Crash): void {
    // Lines up to the next start belong to the process that crashed.
    const recent = this.options.log.lines(1000);
    const nextStart = recent.findIndex((l) => l.seq > crash.lastSeq && l.stream === 'vigil' && l.text.startsWith('started pid'));
    const lines = nextStart === -1 ? recent : recent.slice(0, nextStart);
    this.kept.push({
      service: this.options.service,
      time: new Date(crash.time).toISOString(),
      exitCode: crash.code,
      signal: crash.signal,
      uptimeMs: crash.uptimeMs,
      lastLines: lines.slice(-INCIDENT_LINES).map((l) => `${l.time} ${l.stream} ${l.text}`),
    });
    if (this.kept.length > INCIDENTS_KEPT) this.kept.shift();
    this.options.recorded();
  }
}
