// Time as the alert flow counts it. Two clocks come in with every evaluation: the wall clock
// (what the user reads, and what silences and quiet hours are written in) and a monotonic one
// (performance.now()). Durations that decide an alert (`for`, group wait and interval, repeat,
// escalation, flap windows) are counted on a third, kept here: "run time", the time Vigil
// was awake and evaluating. A sleep of the computer, a jump of the wall clock, or a time
// Vigil was not running adds nothing to it, so none of them can make a `for` elapse, a repeat
// come due or an escalation fire for time nobody could see.
//
// A gap: the wall clock moved much further than an evaluation takes. On Linux and macOS the
// monotonic clock stops while the machine sleeps and the wall clock does not; on Windows both
// run on; either way the wall clock shows the jump. 10 evaluation intervals, and at least 30 s,
// is "much further": an event loop stalled by a slow disk or a GC pause is well below that,
// and a lid closed for a moment is above.
export const GAP_INTERVALS = 10;
export const GAP_MIN_MS = 30_000;
/** After a wake, verdicts are not judged for this long (at least 3 evaluations): samples
 * that span the sleep are garbage, and the minute after a wake is busy (backups, indexing,
 * reconnecting) in a way that is no fault of the stack. */
export const WAKE_GRACE_MS = 30_000;
export const WAKE_GRACE_INTERVALS = 3;

export interface FlowClock {
  /** Wall time of the last evaluation (ms since the epoch); null before the first. */
  wallMs: number | null;
  /** Monotonic time of the last evaluation; null before the first in this process (after a
   * restart the persisted value would mean nothing, so restoring the state clears it). */
  monoMs: number | null;
  /** Run time now: see above. Starts at 0 and only grows; persisted, so it survives restarts. */
  runMs: number;
  /** The state was just restored from disk: the next evaluation is this process's first, and
   * a gap before it is Vigil's downtime, not a sleep. */
  restored: boolean;
  /** The last wake, while its grace period lasts. */
  wake: { atWall: number; sleptMs: number; graceUntilRun: number } | null;
}

export type ClockGap =
  /** The wall clock jumped forward: the machine slept (or the clock was set forward). */
  | { kind: 'slept'; sleptMs: number }
  /** The wall clock jumped backward (set by hand, or by a far-off NTP correction). */
  | { kind: 'clock-back'; byMs: number }
  /** The first evaluation after Vigil restarted, long after the state was saved. */
  | { kind: 'restart'; downMs: number };

export const INITIAL_CLOCK: FlowClock = { wallMs: null, monoMs: null, runMs: 0, restored: false, wake: null };

export function gapThresholdMs(intervalMs: number): number {
  return Math.max(GAP_MIN_MS, GAP_INTERVALS * intervalMs);
}

export function wakeGraceMs(intervalMs: number): number {
  return Math.max(WAKE_GRACE_MS, WAKE_GRACE_INTERVALS * intervalMs);
}

/** Moves the clock to this evaluation; says whether there was a gap since the last one. */
export function advanceClock(clock: FlowClock, wallNow: number, monoNow: number | null, intervalMs: number): { clock: FlowClock; gap: ClockGap | null } {
  if (clock.wallMs === null) return { clock: { ...clock, wallMs: wallNow, monoMs: monoNow, restored: false }, gap: null };
  const wallDelta = wallNow - clock.wallMs;
  const monoDelta = monoNow !== null && clock.monoMs !== null ? monoNow - clock.monoMs : null;
  const threshold = gapThresholdMs(intervalMs);
  let gap: ClockGap | null = null;
  if (wallDelta < -threshold) gap = { kind: 'clock-back', byMs: -wallDelta };
  else if (wallDelta > threshold) gap = clock.restored ? { kind: 'restart', downMs: wallDelta } : { kind: 'slept', sleptMs: wallDelta };
  // The monotonic clock is the truer measure of time awake (NTP slews the wall clock); without
  // it (the first evaluation after a restart) the wall clock, never backwards.
  const elapsed = gap ? 0 : Math.max(0, monoDelta ?? wallDelta);
  const runMs = clock.runMs + elapsed;
  let wake = clock.wake && runMs < clock.wake.graceUntilRun ? clock.wake : null;
  if (gap?.kind === 'slept') wake = { atWall: wallNow, sleptMs: gap.sleptMs, graceUntilRun: runMs + wakeGraceMs(intervalMs) };
  return { clock: { wallMs: wallNow, monoMs: monoNow, runMs, restored: false, wake }, gap };
}

/** The clock as a restored state must start: the monotonic reading belonged to the old process. */
export function restoredClock(clock: FlowClock): FlowClock {
  return { ...clock, monoMs: null, restored: true };
}

/** Verdicts are not judged while the grace period after a wake lasts. */
export function inWakeGrace(clock: FlowClock): boolean {
  return clock.wake !== null && clock.runMs < clock.wake.graceUntilRun;
}
