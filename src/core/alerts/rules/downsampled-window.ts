// The last `windowMs` of a series in a fixed number of buckets (the mean of each), so that a
// trend over half an hour of one-second samples costs 30 points, whatever the sampling rate.
// Memory is fixed per series. Each series' buckets may be shifted by an offset, so that fifty
// services do not all close a bucket (and fit a trend) on the same tick.

export const WINDOW_BUCKETS = 30;

export class DownsampledWindow {
  /** Bucket mid-times and means, oldest first from `start`, as a ring. */
  readonly times = new Float64Array(WINDOW_BUCKETS);
  readonly values = new Float64Array(WINDOW_BUCKETS);
  private start = 0;
  private count = 0;
  private readonly bucketMs: number;
  private readonly windowMs: number;
  private openBucket = Number.NaN;
  private openSum = 0;
  private openN = 0;
  private readonly offsetMs: number;

  /** `offset` in [0, 1): where within a bucket's width this series' buckets start. */
  constructor(windowMs: number, offset = 0) {
    this.windowMs = windowMs;
    this.bucketMs = Math.max(1, windowMs / WINDOW_BUCKETS);
    this.offsetMs = offset * this.bucketMs;
  }

  /** Adds a sample; true when it closed a bucket (a new point to judge). */
  add(t: number, value: number): boolean {
    const bucket = Math.floor((t - this.offsetMs) / this.bucketMs);
    let closed = false;
    if (bucket !== this.openBucket) {
      closed = this.close();
      this.openBucket = bucket;
    }
    this.openSum += value;
    this.openN++;
    return closed;
  }

  private close(): boolean {
    if (this.openN === 0) return false;
    const t = (this.openBucket + 0.5) * this.bucketMs + this.offsetMs;
    if (this.count === WINDOW_BUCKETS) {
      this.start = (this.start + 1) % WINDOW_BUCKETS;
      this.count--;
    }
    const at = (this.start + this.count) % WINDOW_BUCKETS;
    this.times[at] = t;
    this.values[at] = this.openSum / this.openN;
    this.count++;
    this.openSum = 0;
    this.openN = 0;
    // Points older than the window (after a gap) no longer describe the trend.
    while (this.count > 0 && t - this.times[this.start]! > this.windowMs) {
      this.start = (this.start + 1) % WINDOW_BUCKETS;
      this.count--;
    }
    return true;
  }

  /** The closed points, oldest first, copied into the given arrays; returns how many. */
  copy(times: Float64Array, values: Float64Array, origin = 0): number {
    for (let i = 0; i < this.count; i++) {
      const at = (this.start + i) % WINDOW_BUCKETS;
      times[i] = this.times[at]! - origin;
      values[i] = this.values[at]!;
    }
    return this.count;
  }

  get points(): number {
    return this.count;
  }

  /** Time from the oldest closed point to the newest. */
  get spanMs(): number {
    if (this.count < 2) return 0;
    return this.times[(this.start + this.count - 1) % WINDOW_BUCKETS]! - this.times[this.start]!;
  }

  /** The newest closed point's mean (NaN when none). */
  get last(): number {
    return this.count === 0 ? Number.NaN : this.values[(this.start + this.count - 1) % WINDOW_BUCKETS]!;
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
    this.openBucket = Number.NaN;
    this.openSum = 0;
    this.openN = 0;
  }
}
