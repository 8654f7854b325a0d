// A service's CPU or memory over the overview's window, small enough for a table cell: a
// canvas drawn by hand from sparkRuns (cheaper than a chart.js instance per cell; see
// bench/sparklines.mjs for canvas against SVG), with the latest value beside it.
import { memo, useEffect, useRef, useSyncExternalStore } from 'react';
import { lastValue, pointCount } from '../metrics/metric-line.ts';
import type { MetricsFeed } from '../metrics/metrics-feed.ts';
import { formatValue, type Unit } from '../metrics/units.ts';
import { useChartTheme } from './chart-theme.ts';
import { sparkRuns, sparkTop } from './sparkline-geometry.ts';

interface Props {
  feed: MetricsFeed;
  lineId: string;
  unit: Unit;
  /** The lowest top of the scale (see sparkTop). */
  floor: number;
  /** What the line is, for its accessible name: "alpha CPU". */
  label: string;
  /** Which of the theme's line colours. */
  color?: number;
}

function draw(canvas: HTMLCanvasElement, feed: MetricsFeed, lineId: string, color: string, floor: number): void {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.round(canvas.clientWidth * ratio);
  const height = Math.round(canvas.clientHeight * ratio);
  if (width === 0 || height === 0) return;
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.clearRect(0, 0, width, height);
  const points = feed.line(lineId)?.points ?? [];
  const runs = sparkRuns(points, { width, height, from: feed.windowEnd - feed.range.windowMs, to: feed.windowEnd, top: sparkTop(points, floor) });
  ctx.strokeStyle = color;
  ctx.lineWidth = ratio * 1.25;
  ctx.lineJoin = 'round';
  ctx.beginPath();
  for (const run of runs) {
    ctx.moveTo(run[0]!, run[1]!);
    // A run of one point is a dot: a short stroke makes it visible.
    if (run.length === 2) ctx.lineTo(run[0]! + ratio, run[1]!);
    for (let i = 2; i < run.length; i += 2) ctx.lineTo(run[i]!, run[i + 1]!);
  }
  ctx.stroke();
}

/** Memoized: its row re-renders every second (the uptime); the sparkline only on a tick. */
export const Sparkline = memo(function Sparkline({ feed, lineId, unit, floor, label, color = 0 }: Props) {
  const theme = useChartTheme();
  const canvas = useRef<HTMLCanvasElement>(null);
  const stroke = theme.series[color % theme.series.length]!;
  useSyncExternalStore(feed.subscribe, () => feed.version);

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const redraw = () => draw(element, feed, lineId, stroke, floor);
    redraw();
    return feed.subscribe(redraw);
  }, [feed, lineId, stroke, floor]);

  const line = feed.line(lineId);
  const value = formatValue(line ? lastValue(line) : null, unit);
  return (
    <span className="spark">
      <canvas ref={canvas} className="sparkline" role="img" aria-label={`${label}, last ${feed.range.label}: ${line ? pointCount(line) : 0} points, latest ${value}`} />
      <span className="spark-value">{value}</span>
    </span>
  );
});
