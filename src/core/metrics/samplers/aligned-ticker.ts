// Calls back on a grid of the interval: with 1000 ms at 12:00:01.000, 12:00:02.000, ... and
// with 10 s at multiples of 10 s. Ticks are stamped with the grid time, not the moment the
// timer fired (a few ms later), so samples are exactly one interval apart: the history
// store's delta-of-delta timestamp encoding then stores 0 for every sample after the second.
// A 10 s grid is also a 1 s grid, so switching between the two keeps the raw series regular.
import type { SamplerClock } from './sample.ts';

export class AlignedTicker {
  private readonly clock: SamplerClock;
  private readonly onTick: (t: number) => void;
  private interval: number;
  private handle: unknown = null;
  private lastT = Number.NEGATIVE_INFINITY;

  constructor(clock: SamplerClock, intervalMs: number, onTick: (t: number) => void) {
    this.clock = clock;
    this.interval = intervalMs;
    this.onTick = onTick;
  }

  get intervalMs(): number {
    return this.interval;
  }

  get running(): boolean {
    return this.handle !== null;
  }

  start(): void {
    if (this.handle === null) this.schedule();
  }

  stop(): void {
    if (this.handle !== null) this.clock.clearTimeout(this.handle);
    this.handle = null;
  }

  /** Takes effect at once: a pending tick on the old grid (up to an idle interval away) is
   * dropped for the next point of the new one. */
  setInterval(ms: number): void {
    if (ms === this.interval) return;
    this.interval = ms;
    if (this.handle === null) return;
    this.clock.clearTimeout(this.handle);
    this.schedule();
  }

  private schedule(): void {
    const now = this.clock.now();
    let t = (Math.floor(now / this.interval) + 1) * this.interval;
    while (t <= this.lastT) t += this.interval;
    this.handle = this.clock.setTimeout(() => this.fire(t), t - now);
  }

  private fire(t: number): void {
    if (this.clock.now() < t) {
      // Woken early (a coarse timer): wait for the grid point itself.
      this.handle = this.clock.setTimeout(() => this.fire(t), t - this.clock.now());
      return;
    }
    this.lastT = t;
    this.schedule(); // first, so that a throwing callback cannot stop the ticks
    this.onTick(t);
  }
}
