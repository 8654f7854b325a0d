// A clock whose time moves only when a test says so; timers fire in time order as it moves.
import type { SamplerClock } from '../../../src/core/metrics/samplers/sample.ts';

interface Timer {
  at: number;
  fn: () => void;
  id: number;
}

export class FakeClock implements SamplerClock {
  private time: number;
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(start: number) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { at: this.time + Math.max(0, ms), fn, id: this.nextId++ };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** How many timers are waiting (a stopped sampler leaves none). */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing each timer at its own time and letting the async
   * work it starts finish before the next one. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.time = next.at;
      next.fn();
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.time = end;
  }
}
