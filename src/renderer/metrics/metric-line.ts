// One line of a chart as data: points from a history query, then live samples appended at the
// sampling rate, within a sliding time window. Pure: every function returns a new line and
// leaves its input alone, so it is tested without a DOM and a chart can hold the old one until
// it redraws. The points are chart.js's own {x, y} shape (x in ms), so they are handed to a
// dataset as they are; a null y breaks the line, so a 2-hour hole is not bridged by a slope.
import type { MetricPoint, MetricsQueryResult } from '../../shared/metrics.ts';

export interface LinePoint {
  x: number;
  y: number | null;
}

export interface MetricLine {
  /** Time order; a point with y null stands in a gap. */
  readonly points: readonly LinePoint[];
  /** The width of the buckets live samples fold into: the step the history was asked for, so
   * live points have the spacing of the ones before them (a 7-day chart gets a point per 10
   * min, not per second). Buckets are aligned to the epoch, as the store aligns its steps. */
  readonly step: number;
  /** Two points further apart than this have a gap between them. */
  readonly gapMs: number;
  /** The running average of the newest bucket, for the samples still falling into it. */
  readonly open: { bucket: number; sum: number; count: number } | null;
}

/** Sampling runs every 10 s while nobody looks (every second while a client watches); a
 * series written at that pace is one line, not dots between breaks. */
export const IDLE_SAMPLING_MS = 10_000;
/** A gap is this many times the usual spacing of the points. */
const GAP_SPACINGS = 3;
const MIN_GAP_MS = GAP_SPACINGS * IDLE_SAMPLING_MS;

export function emptyLine(step: number): MetricLine {
  return { points: [], step, gapMs: Math.max(MIN_GAP_MS, GAP_SPACINGS * step), open: null };
}

/** The median distance between neighbouring points (0 with fewer than two). */
export function typicalSpacing(times: readonly number[]): number {
  if (times.length < 2) return 0;
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push(times[i]! - times[i - 1]!);
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)]!;
}

/** Points of several series added up where their times meet (network traffic over all
 * interfaces); a time one series lacks adds what the others have. One series is itself. */
export function sumPoints(series: readonly (readonly MetricPoint[])[]): { t: number; value: number }[] {
  if (series.length === 1) return series[0]!.map(([t, avg]) => ({ t, value: avg }));
  const byTime = new Map<number, number>();
  for (const points of series) for (const [t, avg] of points) byTime.set(t, (byTime.get(t) ?? 0) + avg);
  return [...byTime].sort((a, b) => a[0] - b[0]).map(([t, value]) => ({ t, value }));
}

/**
 * A line from the query results of its series (one, or several to add up). `step` is the step
 * the query asked for; a rollup answers with its own when coarser. Gaps are placed where the
 * points lie further apart than a few of their usual spacing (or of the step).
 */
export function lineFromHistory(results: readonly MetricsQueryResult[], step: number): MetricLine {
  const rollupStep = Math.max(0, ...results.filter((r) => r.tier !== 'raw').map((r) => r.step));
  const bucketStep = Math.max(step, rollupStep);
  const samples = sumPoints(results.map((r) => r.points));
  const spacing = typicalSpacing(samples.map((s) => s.t));
  const gapMs = Math.max(MIN_GAP_MS, GAP_SPACINGS * bucketStep, GAP_SPACINGS * spacing);
  const points: LinePoint[] = [];
  for (const { t, value } of samples) pushWithGap(points, t, value, gapMs);
  const last = samples.at(-1);
  // The store's newest bucket may still be filling; its sample count is not in the answer, so
  // live samples average with it as if it were one (close enough for the one newest point).
  const open = last ? { bucket: bucketOf(last.t, bucketStep), sum: last.value, count: 1 } : null;
  return { points, step: bucketStep, gapMs, open };
}

function bucketOf(t: number, step: number): number {
  return step > 0 ? Math.floor(t / step) * step : t;
}

function pushWithGap(points: LinePoint[], x: number, y: number, gapMs: number): void {
  const previous = points.at(-1);
  if (previous && x - previous.x > gapMs) points.push({ x: (previous.x + x) / 2, y: null });
  points.push({ x, y });
}

/**
 * The line with one live sample added: averaged into the newest point while it falls into the
 * same bucket, else a new point (after a gap point when it comes late). A sample older than
 * the newest point is dropped (it was in the history already). Points older than `windowMs`
 * before the sample leave the line.
 */
export function appendSample(line: MetricLine, t: number, value: number, windowMs: number): MetricLine {
  if (!Number.isFinite(value)) return line;
  const bucket = bucketOf(t, line.step);
  const newest = line.points.at(-1);
  const open = line.open;
  let points: LinePoint[];
  let next: MetricLine['open'];
  if (open && bucket === open.bucket && newest && newest.y !== null) {
    next = { bucket, sum: open.sum + value, count: open.count + 1 };
    points = line.points.slice(0, -1);
    points.push({ x: newest.x, y: next.sum / next.count });
  } else if (newest && bucket <= newest.x) {
    return line;
  } else {
    next = { bucket, sum: value, count: 1 };
    points = line.points.slice();
    pushWithGap(points, bucket, value, line.gapMs);
  }
  return { ...line, points: dropBefore(points, t - windowMs), open: next };
}

/** The points from `from` on; a gap point left at the front goes too. */
function dropBefore(points: LinePoint[], from: number): LinePoint[] {
  let start = 0;
  while (start < points.length && (points[start]!.x < from || points[start]!.y === null)) start++;
  return start === 0 ? points : points.slice(start);
}

/** The line without the points older than `from` (the window moved on without a sample). */
export function trimLine(line: MetricLine, from: number): MetricLine {
  const points = dropBefore(line.points as LinePoint[], from);
  return points === line.points ? line : { ...line, points };
}

/** The value of a line in one tick: its series' values added up; null when the tick has none
 * of them (the service was not running: nothing to draw). */
export function tickValue(values: Readonly<Record<string, number>>, keys: readonly string[]): number | null {
  let sum: number | null = null;
  for (const key of keys) {
    const v = values[key];
    if (v !== undefined && Number.isFinite(v)) sum = (sum ?? 0) + v;
  }
  return sum;
}

/** How many points carry a value (gap points excluded). */
export function pointCount(line: MetricLine): number {
  let n = 0;
  for (const p of line.points) if (p.y !== null) n++;
  return n;
}

/** The newest value, or null when the line has none. */
export function lastValue(line: MetricLine): number | null {
  for (let i = line.points.length - 1; i >= 0; i--) {
    const y = line.points[i]!.y;
    if (y !== null) return y;
  }
  return null;
}
