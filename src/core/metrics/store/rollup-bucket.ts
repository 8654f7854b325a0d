// A rollup bucket: min, max, sum and count of the raw samples that fell into one minute or
// one hour. Buckets are aligned to the epoch (UTC minutes and hours) and built as samples
// arrive, so a tier holds a bucket for every minute that had at least one sample, whatever
// the sampling rate was. Sums of rounded series add up the rounded integers (exact, so
// that the chunk coder still sees short decimals); exact series add the doubles as they are.

export interface RollupBucket {
  start: number;
  min: number;
  max: number;
  /** In the series' integer units (value × 10^decimals) when it is rounded, else plain. */
  sum: number;
  count: number;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

export const bucketStart = (t: number, step: number): number => Math.floor(t / step) * step;

export function newBucket(start: number, value: number, scale: number | null): RollupBucket {
  return { start, min: value, max: value, sum: scale === null ? value : Math.round(value * scale), count: 1 };
}

export function addToBucket(bucket: RollupBucket, value: number, scale: number | null): void {
  if (value < bucket.min) bucket.min = value;
  if (value > bucket.max) bucket.max = value;
  bucket.sum += scale === null ? value : Math.round(value * scale);
  bucket.count++;
}

/** The sum back in the series' own units. */
export const bucketSum = (bucket: { sum: number }, scale: number | null): number => (scale === null ? bucket.sum : bucket.sum / scale);
