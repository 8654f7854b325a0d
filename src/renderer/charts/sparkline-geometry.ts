// Where a sparkline's line runs, in pixels: at most two points per pixel column (the lowest
// and the highest, in time order), so 900 samples in 80 px cost 160 segments to draw and a
// one-second spike still shows. A null point ends a run. Pure.
import type { LinePoint } from '../metrics/metric-line.ts';

export interface SparkBox {
  width: number;
  height: number;
  /** Time at the left and right edges. */
  from: number;
  to: number;
  /** The value at the top edge (the bottom is 0). */
  top: number;
}

/** Runs of flat [x0, y0, x1, y1, ...] pixel coordinates; a gap starts a new run. */
export function sparkRuns(points: readonly LinePoint[], box: SparkBox): number[][] {
  const runs: number[][] = [];
  const span = box.to - box.from;
  if (span <= 0 || box.width <= 0 || box.height <= 0) return runs;
  const top = box.top > 0 ? box.top : 1;
  const inset = 1; // keep the stroke inside the box
  const usable = box.height - 2 * inset;
  const py = (y: number) => inset + usable - (Math.min(Math.max(y, 0), top) / top) * usable;
  let run: number[] | null = null;
  let column = Number.NaN;
  // The column's lowest and highest values, and which came first.
  let lo = 0;
  let hi = 0;
  let loAt = 0;
  let hiAt = 0;
  let seen = 0;
  const flush = () => {
    if (!run || Number.isNaN(column)) return;
    const [first, second] = loAt <= hiAt ? [lo, hi] : [hi, lo];
    run.push(column, py(first));
    if (second !== first) run.push(column, py(second));
  };
  for (const p of points) {
    if (p.x < box.from || p.x > box.to) continue;
    if (p.y === null) {
      flush();
      column = Number.NaN;
      run = null;
      continue;
    }
    const x = Math.round(((p.x - box.from) / span) * (box.width - 1));
    if (!run) {
      run = [];
      runs.push(run);
    }
    if (x !== column) {
      flush();
      column = x;
      lo = hi = p.y;
      loAt = hiAt = seen = 0;
      continue;
    }
    seen++;
    if (p.y < lo) {
      lo = p.y;
      loAt = seen;
    }
    if (p.y > hi) {
      hi = p.y;
      hiAt = seen;
    }
  }
  flush();
  return runs;
}

/** The runs as an SVG path: "M x y L x y ...", one M per run. */
export function sparkPath(runs: readonly number[][]): string {
  let d = '';
  for (const run of runs) {
    for (let i = 0; i < run.length; i += 2) d += `${i === 0 ? 'M' : 'L'}${run[i]!.toFixed(1)} ${run[i + 1]!.toFixed(1)}`;
  }
  return d;
}

/** The top of a sparkline's scale: a little over its highest value, never below `floor` (a
 * service idling at 0.3 % CPU should not look busy). */
export function sparkTop(points: readonly LinePoint[], floor: number): number {
  let max = 0;
  for (const p of points) if (p.y !== null && p.y > max) max = p.y;
  return Math.max(floor, max * 1.1);
}
