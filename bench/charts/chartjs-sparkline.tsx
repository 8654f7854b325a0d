// The obvious sparkline the benchmark also weighs: a chart.js line chart per cell, axes hidden.
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { Chart } from '../../src/renderer/charts/chart-setup.ts';
import { lastValue, type LinePoint } from '../../src/renderer/metrics/metric-line.ts';
import type { MetricsFeed } from '../../src/renderer/metrics/metrics-feed.ts';
import { formatValue, type Unit } from '../../src/renderer/metrics/units.ts';

export function ChartjsSparkline({ feed, lineId, unit }: { feed: MetricsFeed; lineId: string; unit: Unit; floor: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useSyncExternalStore(feed.subscribe, () => feed.version);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, {
      type: 'line',
      data: { datasets: [{ data: [] as LinePoint[], borderColor: '#3b6fd8', borderWidth: 1.25, pointRadius: 0 }] },
      options: {
        animation: false,
        responsive: false,
        parsing: false,
        normalized: true,
        events: [],
        plugins: { tooltip: { enabled: false } },
        scales: { x: { type: 'linear', display: false }, y: { type: 'linear', display: false, beginAtZero: true } },
      },
    } as never) as Chart<'line'>;
    const draw = () => {
      chart.data.datasets[0]!.data = (feed.line(lineId)?.points ?? []) as never;
      chart.options.scales!.x!.min = feed.windowEnd - feed.range.windowMs;
      chart.options.scales!.x!.max = feed.windowEnd;
      chart.update('none');
    };
    draw();
    const off = feed.subscribe(draw);
    return () => {
      off();
      chart.destroy();
    };
  }, [feed, lineId]);
  const line = feed.line(lineId);
  return (
    <span className="spark">
      <canvas ref={canvas} className="sparkline" width={72} height={22} />
      <span className="spark-value">{formatValue(line ? lastValue(line) : null, unit)}</span>
    </span>
  );
}
