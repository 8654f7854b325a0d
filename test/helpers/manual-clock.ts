// A Clock (src/core/kit/clock.ts) that stands still until the test moves it: timers run only
// in advance() or runAll(), so what waits on the engine's clock can be tested without waiting.
import type { Clock } from '../../src/core/kit/clock.ts';

export interface ManualClock extends Clock {
  /** Timers scheduled and not yet run or cleared. */
  readonly pending: number;
  /** Moves time on by `ms`, running the timers that fall due, in order. */
  advance(ms: number): void;
  /** Runs every scheduled timer now, whatever its delay. */
  runAll(): void;
}

export function manualClock(start = Date.now()): ManualClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const due = (until: number) =>
    [...timers.entries()].filter(([, t]) => t.at <= until).sort(([a, x], [b, y]) => x.at - y.at || a - b);
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
      for (let next = due(until)[0]; next; next = due(until)[0]) {
        const [id, timer] = next;
        timers.delete(id);
        now = Math.max(now, timer.at);
        timer.fn();
      }
      now = until;
    },
    runAll() {
      const all = [...timers.values()];
      timers.clear();
      all.forEach((t) => t.fn());
    },
  };
}
