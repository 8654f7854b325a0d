// The overview's machine charts (CPU, memory, disk, network; latency when tunnels or Fly
// report some), one card each in a grid that folds to one column in a narrow window.
import { memo } from 'react';
import type { TimeSeriesChartProps } from '../charts/time-series-chart.tsx';
import { TimeSeriesChart } from '../charts/time-series-chart.tsx';
import type { ChartSpec } from '../metrics/chart-specs.ts';
import type { MetricsFeed } from '../metrics/metrics-feed.ts';

const NO_NOTES: Readonly<Record<string, string>> = {};

interface Props {
  feed: MetricsFeed;
  charts: readonly ChartSpec[];
  /** Words under a chart's title, by chart id. */
  notes?: Readonly<Record<string, string>>;
}

export const SystemCharts = memo(function SystemCharts({ feed, charts, notes = NO_NOTES }: Props) {
  return (
    <div className="chart-grid">
      {charts.map((chart) => {
        const props: TimeSeriesChartProps = { title: chart.title, unit: chart.unit, feed, lines: chart.lines, testId: `chart-${chart.id}` };
        if (chart.max !== undefined) props.max = chart.max;
        const note = notes[chart.id];
        if (note) props.note = note;
        return <TimeSeriesChart key={chart.id} {...props} />;
      })}
    </div>
  );
});
