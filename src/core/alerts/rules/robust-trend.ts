// A straight line through noisy points that a few wild ones cannot tilt: the Theil–Sen
// estimator (the median of the slopes between every pair of points; it tolerates up to ~29 %
// outliers, where least squares follows a single spike), with the Mann–Kendall test for whether
// the series rises at all (the share of pairs that rise, against chance). Both are O(n²) in the
// number of points, so callers downsample first (30 points: 435 pairs).

export interface Trend {
  /** Change per unit of t. */
  slope: number;
  /** The line's value at t = 0 (median of y - slope·t). */
  intercept: number;
  /** Mann–Kendall z: above 2.33, a rise this steady happens by chance less than 1 % of the time. */
  z: number;
  points: number;
}

/** Fits ts/ys[0..n); null with fewer than 3 points. `scratch` (at least n(n-1)/2 long) spares
 * an allocation per call. */
export function robustTrend(ts: ArrayLike<number>, ys: ArrayLike<number>, n: number, scratch?: Float64Array): Trend | null {
  if (n < 3) return null;
  const pairs = (n * (n - 1)) / 2;
  const slopes = scratch && scratch.length >= pairs ? scratch.subarray(0, pairs) : new Float64Array(pairs);
  let count = 0;
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) {
      const dy = ys[j]! - ys[i]!;
      const dt = ts[j]! - ts[i]!;
      s += Math.sign(dy);
      if (dt !== 0) slopes[count++] = dy / dt;
    }
  }
  if (count === 0) return null;
  const slope = median(slopes.subarray(0, count));
  const residuals = new Float64Array(n);
  for (let i = 0; i < n; i++) residuals[i] = ys[i]! - slope * ts[i]!;
  const intercept = median(residuals);
  // Mann–Kendall: S's variance without ties is n(n-1)(2n+5)/18; the ±1 is the continuity correction.
  const variance = (n * (n - 1) * (2 * n + 5)) / 18;
  const z = s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0;
  return { slope, intercept, z, points: n };
}

/** Median of the values, reordering them in place: quickselect, linear on average (a sort of
 * of the slopes costs several times as much). */
export function median(values: Float64Array): number {
  const n = values.length;
  const mid = n >> 1;
  const upper = select(values, mid);
  if (n % 2 === 1) return upper;
  // The other middle value is the largest of those select() left below `mid`.
  let lower = values[0]!;
  for (let i = 1; i < mid; i++) if (values[i]! > lower) lower = values[i]!;
  return (lower + upper) / 2;
}

/** The k-th smallest value (Hoare's selection); leaves smaller values before k, larger after. */
function select(values: Float64Array, k: number): number {
  let left = 0;
  let right = values.length - 1;
  while (right > left) {
    const pivot = values[(left + right) >> 1]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return values[k]!;
}
