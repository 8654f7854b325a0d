// A sparkline: one character per value, eight heights of block, for `vigil top` and
// `vigil metrics`. A missing value is a space, so a gap (the service was down, the engine was
// not sampling) shows as a gap.

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

export interface SparkRange {
  low: number;
  high: number;
}

/** The values as blocks between range.low (▁) and range.high (█); null is a space. */
export function sparkline(values: readonly (number | null)[], range: SparkRange): string {
  const span = range.high - range.low;
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return ' ';
      if (span <= 0) return BLOCKS[0];
      const level = Math.round(((v - range.low) / span) * (BLOCKS.length - 1));
      return BLOCKS[Math.min(BLOCKS.length - 1, Math.max(0, level))];
    })
    .join('');
}

/** CPU: from zero, up to the highest value seen but never below `floor`, so a service idling
 * at 0.3 % stays low instead of filling the cell with noise. */
export function rangeFromZero(values: readonly (number | null)[], floor: number): SparkRange {
  let high = floor;
  for (const v of values) if (v !== null && v > high) high = v;
  return { low: 0, high };
}

/** Memory: around the values seen, at least `minShare` of the highest wide, so a steady RSS
 * is a flat line in the middle and a leak climbs visibly. */
export function rangeAround(values: readonly (number | null)[], minShare: number): SparkRange {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v === null) continue;
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  if (high < low) return { low: 0, high: 1 };
  const span = Math.max(high - low, Math.abs(high) * minShare);
  const middle = (high + low) / 2;
  return { low: middle - span / 2, high: middle + span / 2 };
}
