// The SVG sparkline the benchmark weighs against the canvas one (src/renderer/charts/sparkline.tsx):
// the same geometry, drawn as a <path> React re-renders per tick.
import { useSyncExternalStore } from 'react';
import { sparkPath, sparkRuns, sparkTop } from '../../src/renderer/charts/sparkline-geometry.ts';
import { lastValue } from '../../src/renderer/metrics/metric-line.ts';
import type { MetricsFeed } from '../../src/renderer/metrics/metrics-feed.ts';
import { formatValue, type Unit } from '../../src/renderer/metrics/units.ts';

const WIDTH = 72;
const HEIGHT = 22;

export function SvgSparkline({ feed, lineId, unit, floor }: { feed: MetricsFeed; lineId: string; unit: Unit; floor: number }) {
  useSyncExternalStore(feed.subscribe, () => feed.version);
  const line = feed.line(lineId);
  const points = line?.points ?? [];
  const d = sparkPath(sparkRuns(points, { width: WIDTH, height: HEIGHT, from: feed.windowEnd - feed.range.windowMs, to: feed.windowEnd, top: sparkTop(points, floor) }));
  return (
    <span className="spark">
      <svg className="sparkline" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label="sparkline">
        <path d={d} fill="none" stroke="currentColor" strokeWidth="1.25" />
      </svg>
      <span className="spark-value">{formatValue(line ? lastValue(line) : null, unit)}</span>
    </span>
  );
}
