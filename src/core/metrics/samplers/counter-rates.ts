// Per-second rates from cumulative byte counters (network interfaces, disks). A counter that
// went down was reset (interface re-created, counter wrapped): that interval has no rate.
export class CounterRates {
  private readonly last = new Map<string, { value: number; mono: number }>();
  private seen = new Set<string>();

  /** The rate of `key` since its previous reading at `mono` ms; null on its first reading. */
  rate(key: string, value: number, mono: number): number | null {
    this.seen.add(key);
    const before = this.last.get(key);
    if (before === undefined) {
      this.last.set(key, { value, mono });
      return null;
    }
    const seconds = (mono - before.mono) / 1000;
    const delta = value - before.value;
    before.value = value;
    before.mono = mono;
    if (seconds <= 0 || delta < 0) return null;
    return delta / seconds;
  }

  /** Forgets counters not read since the last call (an interface that went away), so one that
   * comes back starts over instead of showing a rate across the gap. */
  sweep(): void {
    for (const key of this.last.keys()) if (!this.seen.has(key)) this.last.delete(key);
    this.seen = new Set();
  }
}
