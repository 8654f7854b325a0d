// What "normal" is for one series: an exponentially weighted mean and variance (EWMA), in five
// numbers whatever the series' length. The weights decay with time, not with sample count, so
// the baseline means the same whether Vigil samples every second (someone is looking) or every
// ten (idle): a value's weight halves after `halfLifeMs`.
//
// Why EWMA rather than a rolling median/MAD: a median needs the window's values kept (O(window)
// memory and a sort or two heaps per series), and follows a level shift only after half the
// window; the EWMA is O(1), and its outlier weakness is handled by whoever feeds it: values far
// out are clipped before they are learned, and learned slowly while the series is flagged.
//
// Warm-up: until `minSamples` values spanning `warmupMs` have been seen, the mean is a plain
// running average (every value counts the same, so the first one does not dominate), and the
// caller does not judge.

export interface BaselineOptions {
  halfLifeMs: number;
  warmupMs: number;
  minSamples: number;
  /** A gap longer than this (the machine slept, the service was stopped) counts as this long,
   * so that one value after a gap does not replace the baseline. */
  maxStepMs: number;
}

export class EwmaBaseline {
  mean = 0;
  variance = 0;
  samples = 0;
  firstAt = 0;
  lastAt = 0;
  private readonly options: BaselineOptions;

  constructor(options: BaselineOptions) {
    this.options = options;
  }

  get ready(): boolean {
    return this.samples >= this.options.minSamples && this.lastAt - this.firstAt >= this.options.warmupMs;
  }

  get deviation(): number {
    return Math.sqrt(this.variance);
  }

  /** Learns a value; `weight` below 1 learns it more slowly (a flagged value). */
  learn(value: number, t: number, weight = 1): void {
    if (this.samples === 0) {
      this.mean = value;
      this.variance = 0;
      this.firstAt = t;
      this.lastAt = t;
      this.samples = 1;
      return;
    }
    const dt = Math.min(Math.max(0, t - this.lastAt), this.options.maxStepMs);
    const byTime = 1 - 2 ** (-dt / this.options.halfLifeMs);
    const alpha = (this.ready ? byTime : Math.max(byTime, 1 / (this.samples + 1))) * weight;
    // West's incremental form: mean and variance in one pass, stable for long series.
    const diff = value - this.mean;
    const increment = alpha * diff;
    this.mean += increment;
    this.variance = (1 - alpha) * (this.variance + diff * increment);
    this.samples++;
    this.lastAt = Math.max(this.lastAt, t);
  }
}
