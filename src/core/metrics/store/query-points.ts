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

/** One stored row: a raw sample (count 1, min = max = sum) or a rollup bucket. */
export interface Row {
  t: number;
  min: number;
  max: number;
  sum: number;
  count: number;
}

/**
 * Points from rows in time order. With `step` > 0, rows are merged into steps aligned to
 * the epoch (min of mins, max of maxes, average weighted by count); with 0 each row is a point.
 */
export function toPoints(rows: readonly Row[], step: number): MetricPoint[] {
  const points: MetricPoint[] = [];
  if (step <= 0) {
    for (const r of rows) points.push([r.t, r.sum / r.count, r.min, r.max]);
    return points;
  }
  let start = Number.NaN;
  let min = 0;
  let max = 0;
  let sum = 0;
  let count = 0;
  const flush = () => {
    if (count > 0) points.push([start, sum / count, min, max]);
  };
  for (const r of rows) {
    const s = Math.floor(r.t / step) * step;
    if (s !== start) {
      flush();
      start = s;
      min = r.min;
      max = r.max;
      sum = r.sum;
      count = r.count;
    } else {
      if (r.min < min) min = r.min;
      if (r.max > max) max = r.max;
      sum += r.sum;
      count += r.count;
    }
  }
  flush();
  return points;
}

/** The interval raw samples came at: the median gap between them (0 with fewer than two). */
export function typicalInterval(rows: readonly Row[]): number {
  if (rows.length < 2) return 0;
  const gaps = rows.slice(1).map((r, i) => r.t - rows[i]!.t);
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)]!;
}

/**
 * The step the answer uses: a rollup tier's own step, or the asked step rounded up to a
 * whole number of the tier's steps when coarser; for raw, the samples as they are while the
 * asked step is finer than they come, else the asked step.
 */
export function answerStep(tier: HistoryTier, asked: number, rows: readonly Row[]): { step: number; merge: boolean } {
  if (tier === 'raw') {
    const interval = typicalInterval(rows);
    return asked > interval ? { step: asked, merge: true } : { step: interval || asked, merge: false };
  }
  const own = TIER_STEP[tier];
  if (asked <= own) return { step: own, merge: false };
  return { step: Math.ceil(asked / own) * own, merge: true };
}
