// How many events fell within the last `windowMs`, in fixed memory: the window is cut into
// buckets, so a flood of 100,000 lines a second costs the same as one line. The count is exact
// to a bucket's width (a sixtieth of the window) at the window's far edge.

const BUCKETS = 60;

const slotOf = (bucket: number) => ((bucket % BUCKETS) + BUCKETS) % BUCKETS;

export class SlidingWindowCount {
  private readonly counts = new Uint32Array(BUCKETS);
  private readonly bucketMs: number;
  /** The bucket number (time / bucketMs) of the newest slot; null before the first event. */
  private head: number | null = null;
  private total = 0;

  constructor(windowMs: number) {
    this.bucketMs = Math.max(1, windowMs / BUCKETS);
  }

  add(t: number, n = 1): void {
    const bucket = this.advance(t);
    // A line stamped a little in the past (out of order) counts in its own bucket, if still inside.
    if (bucket <= this.head! - BUCKETS) return;
    this.counts[slotOf(bucket)]! += n;
    this.total += n;
  }

  /** The count within the window ending at t. */
  count(t: number): number {
    if (this.head === null) return 0;
    this.advance(t);
    return this.total;
  }

  /** Moves the head to t's bucket, emptying the buckets that fall out of the window. */
  private advance(t: number): number {
    const bucket = Math.floor(t / this.bucketMs);
    if (this.head === null) {
      this.head = bucket;
      return bucket;
    }
    if (bucket <= this.head) return bucket;
    const steps = Math.min(BUCKETS, bucket - this.head);
    for (let i = 1; i <= steps; i++) {
      const slot = slotOf(this.head + i);
      this.total -= this.counts[slot]!;
      this.counts[slot] = 0;
    }
    this.head = bucket;
    return bucket;
  }
}
