// A Clock (src/core/kit/clock.ts) that stands still until the test moves it: timers run only
// in advance(), advanceSettled() or runAll(), so what waits on the engine's clock can be
// tested without waiting.
import type { Clock } from '../../src/core/kit/clock.ts';

export interface ManualClock extends Clock {
  /** Timers scheduled and not yet run or cleared. */
  readonly pending: number;
  /** Moves time on by `ms`, running the timers that fall due, in order. */
  advance(ms: number): void;
  /** As advance(), but lets the async work each timer starts finish (a turn of the event loop)
   * before the next one runs: for code whose timer callbacks await, such as the samplers'
   * ticks, which skip a tick while the previous one is still running. */
  advanceSettled(ms: number): Promise<void>;
  /** Runs every scheduled timer now, whatever its delay. */
  runAll(): void;
}

export function manualClock(start = Date.now()): ManualClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  /** Runs the earliest timer due by `until`; false when there is none. */
  const runNext = (until: number): boolean => {
    const next = [...timers.entries()].filter(([, t]) => t.at <= until).sort(([a, x], [b, y]) => x.at - y.at || a - b)[0];
    if (!next) return false;
    const [id, timer] = next;
    timers.delete(id);
    now = Math.max(now, timer.at);
    timer.fn();
    return true;
  };
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      timers.set(nextId, { at: now + Math.max(0, ms), fn });
      return nextId++;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
    get pending() {
      return timers.size;
    },
    advance(ms) {
      const until = now + ms;
      while (runNext(until));
      now = until;
    },
    async advanceSettled(ms) {
      const until = now + ms;
      while (runNext(until)) await new Promise((resolve) => setImmediate(resolve));
      now = until;
    },
    runAll() {
      const all = [...timers.values()];
      timers.clear();
      all.forEach((t) => t.fn());
    },
  };
}
