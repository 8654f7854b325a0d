// One series against a threshold (or a warning and a critical one): whether it is beyond now,
// with hysteresis. Each level starts to hold when the value crosses its threshold; once it has
// held for `for` (when the lifecycle fires the alert), it holds until the value comes back past
// its clear threshold, so a value hovering at the line does not fire and resolve every tick.
// The severity is the worst level that has held for `for`: CPU at 95 % for ten seconds inside a
// long stretch at 75 % does not make the warning critical.
import type { AlertSeverity } from '../../../shared/alerts.ts';

export type ThresholdOp = '>' | '>=' | '<' | '<=';

export interface ThresholdLevel {
  severity: AlertSeverity;
  threshold: number;
  /** Where a level that has held for `for` lets go; equal to `threshold` for no hysteresis. */
  clear: number;
}

export function beyond(op: ThresholdOp, value: number, limit: number): boolean {
  switch (op) {
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
  }
}

export class ThresholdTracker {
  private readonly op: ThresholdOp;
  /** Least severe first. */
  private readonly levels: readonly ThresholdLevel[];
  private readonly forMs: number;
  private readonly since: (number | null)[];
  private readonly latched: boolean[];

  constructor(op: ThresholdOp, levels: readonly ThresholdLevel[], forMs: number) {
    this.op = op;
    this.levels = levels;
    this.forMs = forMs;
    this.since = levels.map(() => null);
    this.latched = levels.map(() => false);
  }

  update(value: number, t: number): void {
    // The common case, and a tick's hot path: nothing holds and the least severe level is not
    // crossed, so no level is (each is beyond the one before).
    if (this.since[0] === null && !beyond(this.op, value, this.levels[0]!.threshold)) return;
    for (let i = 0; i < this.levels.length; i++) {
      const level = this.levels[i]!;
      const holds = beyond(this.op, value, this.latched[i] ? level.clear : level.threshold);
      if (!holds) {
        this.since[i] = null;
        this.latched[i] = false;
        continue;
      }
      const since = this.since[i] ?? t;
      this.since[i] = since;
      if (t - since >= this.forMs) this.latched[i] = true;
    }
  }

  /** Pending levels start their `for` over at t (after a gap in the ticks); held ones stay. */
  restartPending(t: number): void {
    for (let i = 0; i < this.levels.length; i++) if (this.since[i] !== null && !this.latched[i]) this.since[i] = t;
  }

  /** Forget everything (the series went stale). */
  reset(): void {
    this.since.fill(null);
    this.latched.fill(false);
  }

  get active(): boolean {
    return this.since[0] !== null;
  }

  get activeSince(): number | null {
    return this.since[0] ?? null;
  }

  /** The level the verdict reports: the worst one held for `for`, else the worst one holding. */
  get level(): ThresholdLevel {
    for (let i = this.levels.length - 1; i >= 0; i--) if (this.latched[i]) return this.levels[i]!;
    for (let i = this.levels.length - 1; i >= 0; i--) if (this.since[i] !== null) return this.levels[i]!;
    return this.levels[0]!;
  }
}
