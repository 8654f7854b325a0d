// Turning stored rows into the points a query asked for: which tier answers, and how rows
// are merged into steps coarser than the tier's own. Pure, so it is tested without SQLite.
import type { HistoryTier, MetricPoint } from '../../../shared/metrics.ts';
import { HOUR_MS, MINUTE_MS } from './rollup-bucket.ts';

export const TIERS: readonly HistoryTier[] = ['raw', 'minute', 'hour'];
export const TIER_STEP: Record<HistoryTier, number> = { raw: 0, minute: MINUTE_MS, hour: HOUR_MS };

export type Retention = Record<HistoryTier, number>;

/**
 * The coarsest tier whose own step is no coarser than `step`; and when that tier no longer
 * keeps data as old as `from`, the next coarser tier that does: a chart of the last 3 days at
 * 10 s steps gets minutes for all 3 days rather than seconds for the last day and a gap.
 */
export function chooseTier(step: number, from: number, now: number, retention: Retention): HistoryTier {
  let index = 0;
  for (let i = TIERS.length - 1; i >= 0; i--) {
    if (TIER_STEP[TIERS[i]!] <= step) {
      index = i;
      break;
    }
  }
  while (index < TIERS.length - 1 && from < now - retention[TIERS[index]!]) index++;
  return TIERS[index]!;
}

/** Stored rows in time order, as columns: raw samples (count 1, min = max = sum) or rollup
 * buckets. Columns of doubles rather than an object per row: a query may read 100,000. */
export class Rows {
  t = new Float64Array(1024);
  min = new Float64Array(1024);
  max = new Float64Array(1024);
  sum = new Float64Array(1024);
  count = new Float64Array(1024);
  length = 0;

  push(t: number, min: number, max: number, sum: number, count: number): void {
    if (this.length === this.t.length) this.grow();
    const i = this.length++;
    this.t[i] = t;
    this.min[i] = min;
    this.max[i] = max;
    this.sum[i] = sum;
    this.count[i] = count;
  }

  private grow(): void {
    const bigger = (a: Float64Array) => {
      const b = new Float64Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.t = bigger(this.t);
    this.min = bigger(this.min);
    this.max = bigger(this.max);
    this.sum = bigger(this.sum);
    this.count = bigger(this.count);
  }

  static of(rows: readonly { t: number; min: number; max: number; sum: number; count: number }[]): Rows {
    const out = new Rows();
    for (const r of rows) out.push(r.t, r.min, r.max, r.sum, r.count);
    return out;
  }
}

/**
 * Points from rows in time order. With `step` > 0, rows are merged into steps aligned to
 * the epoch (min of mins, max of maxes, average weighted by count); with 0 each row is a point.
 */
export function toPoints(rows: Rows, step: number): MetricPoint[] {
  const { t, min, max, sum, count } = rows;
  const points: MetricPoint[] = [];
  if (step <= 0) {
    for (let i = 0; i < rows.length; i++) points.push([t[i]!, sum[i]! / count[i]!, min[i]!, max[i]!]);
    return points;
  }
  let i = 0;
  while (i < rows.length) {
    const start = Math.floor(t[i]! / step) * step;
    const end = start + step;
    let lo = min[i]!;
    let hi = max[i]!;
    let total = sum[i]!;
    let n = count[i]!;
    for (i++; i < rows.length && t[i]! < end; i++) {
      if (min[i]! < lo) lo = min[i]!;
      if (max[i]! > hi) hi = max[i]!;
      total += sum[i]!;
      n += count[i]!;
    }
    points.push([start, total / n, lo, hi]);
  }
  return points;
}

/** The interval raw samples came at: the median of up to 63 gaps spread over the rows (0
 * with fewer than two rows). */
export function typicalInterval(rows: Rows): number {
  if (rows.length < 2) return 0;
  const stride = Math.max(1, Math.floor((rows.length - 1) / 63));
  const gaps: number[] = [];
  for (let i = stride; i < rows.length; i += stride) gaps.push(rows.t[i]! - rows.t[i - 1]!);
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)]!;
}

/**
 * The step the answer uses: a rollup tier's own step, or the asked step rounded up to a
 * whole number of the tier's steps when coarser; for raw, the samples as they are while the
 * asked step is no coarser than they come, else the asked step.
 */
export function answerStep(tier: HistoryTier, asked: number, rows: Rows): { step: number; merge: boolean } {
  if (tier === 'raw') {
    const interval = typicalInterval(rows);
    return asked > interval ? { step: asked, merge: true } : { step: interval || asked, merge: false };
  }
  const own = TIER_STEP[tier];
  if (asked <= own) return { step: own, merge: false };
  return { step: Math.ceil(asked / own) * own, merge: true };
}
