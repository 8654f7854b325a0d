// A line chart over time, fed by a MetricsFeed. The chart.js instance lives as long as the
// component; a tick replaces its datasets' data and redraws without animation
// (chart.update('none')), so nothing else on the page renders. Its summary (points, latest
// value per line) is the canvas's accessible name and the figure's caption.
import type { ChartConfiguration, ChartOptions } from 'chart.js';
import { memo, useEffect, useRef, useSyncExternalStore } from 'react';
import type { LinePoint } from '../metrics/metric-line.ts';
import { lastValue, pointCount } from '../metrics/metric-line.ts';
import type { MetricsFeed } from '../metrics/metrics-feed.ts';
import type { TimeMarker } from '../metrics/restart-markers.ts';
import { formatValue, type Unit } from '../metrics/units.ts';
import { Chart } from './chart-setup.ts';
import { type ChartTheme, useChartTheme } from './chart-theme.ts';
import { formatInstant, formatTimeTick, timeTicks } from './time-axis.ts';
import { byteTicks } from './value-axis.ts';

export interface ChartLine {
  /** The line's id in the feed. */
  id: string;
  label: string;
}

export interface TimeSeriesChartProps {
  title: string;
  unit: Unit;
  feed: MetricsFeed;
  lines: readonly ChartLine[];
  /** A fixed top for the value axis (100 for a share of the whole). */
  max?: number;
  markers?: readonly TimeMarker[];
  /** Extra words under the chart (disk use per mount, say). */
  note?: string;
  testId?: string;
}

/** An axis label every 70 px at most. */
const TICK_SPACING_PX = 70;
/** Wide enough for "0.75 MiB/s" in the axis font. */
const Y_AXIS_WIDTH_PX = 72;
/** About this many steps up the value axis. */
const Y_TICKS = 4;

function lineSummary(feed: MetricsFeed, line: ChartLine, unit: Unit): { label: string; count: number; last: string } {
  const data = feed.line(line.id);
  return { label: line.label, count: data ? pointCount(data) : 0, last: formatValue(data ? lastValue(data) : null, unit) };
}

function chartOptions(props: TimeSeriesChartProps, theme: ChartTheme): ChartOptions<'line'> {
  const { unit, max } = props;
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    parsing: false,
    normalized: true,
    spanGaps: false,
    interaction: { mode: 'index', intersect: false },
    elements: { point: { radius: 0, hoverRadius: 3 }, line: { borderWidth: 1.5, tension: 0 } },
    scales: {
      x: {
        type: 'linear',
        grid: { color: theme.grid },
        border: { color: theme.grid },
        ticks: {
          color: theme.muted,
          maxRotation: 0,
          autoSkip: false,
          callback: (value, _index, ticks) => formatTimeTick(Number(value), ticks.length > 1 ? ticks[1]!.value - ticks[0]!.value : 60_000),
        },
        // Ticks on round local times instead of chart.js's round numbers of milliseconds.
        afterBuildTicks: (scale) => {
          const maxTicks = Math.max(2, Math.floor(scale.chart.width / TICK_SPACING_PX));
          scale.ticks = timeTicks(scale.min, scale.max, maxTicks).ticks.map((value) => ({ value }));
        },
      },
      y: {
        type: 'linear',
        beginAtZero: true,
        // One width for every chart's value axis, so that charts stacked on a page share their
        // time axis: a restart mark stands at the same x in all of them.
        afterFit: (scale) => {
          scale.width = Y_AXIS_WIDTH_PX;
        },
        ...(max === undefined ? {} : { max }),
        grid: { color: theme.grid },
        border: { display: false },
        ticks: { color: theme.muted, maxTicksLimit: Y_TICKS + 1, callback: (value) => formatValue(Number(value), unit) },
        ...(unit === 'bytes' || unit === 'bytes-per-second'
          ? {
              afterBuildTicks: (scale) => {
                const ticks = byteTicks(scale.max, Y_TICKS);
                scale.ticks = ticks.map((value) => ({ value }));
                scale.max = ticks.at(-1)!;
              },
            }
          : {}),
      },
    },
    plugins: {
      tooltip: {
        callbacks: {
          title: (items) => (items[0] ? formatInstant(items[0].parsed.x ?? 0) : ''),
          label: (item) => `${item.dataset.label}: ${formatValue(item.parsed.y, unit)}`,
        },
      },
      markers: { markers: props.markers ?? [], colors: theme.markers },
    },
  };
}

function applyData(chart: Chart<'line'>, feed: MetricsFeed, lines: readonly ChartLine[]): void {
  lines.forEach((line, i) => {
    const dataset = chart.data.datasets[i];
    // The feed's arrays are new with every change and never changed afterwards: chart.js may
    // hold them as they are.
    if (dataset) dataset.data = (feed.line(line.id)?.points ?? []) as LinePoint[] as never;
  });
  const x = chart.options.scales?.x;
  if (x) {
    x.min = feed.windowEnd - feed.range.windowMs;
    x.max = feed.windowEnd;
  }
}

/** Memoized: the page re-renders every second (uptimes); a chart only when its feed changes. */
export const TimeSeriesChart = memo(function TimeSeriesChart(props: TimeSeriesChartProps) {
  const { title, unit, feed, lines, note, testId } = props;
  const theme = useChartTheme();
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'line'> | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;
  // Re-renders this component (the caption) per feed change; the canvas is redrawn in place.
  useSyncExternalStore(feed.subscribe, () => feed.version);

  useEffect(() => {
    if (!canvas.current) return;
    const config: ChartConfiguration<'line', LinePoint[]> = {
      type: 'line',
      data: {
        datasets: lines.map((line, i) => {
          const color = theme.series[i % theme.series.length]!;
          return { label: line.label, data: [], borderColor: color, backgroundColor: color };
        }),
      },
      options: chartOptions(propsRef.current, theme) as ChartOptions<'line'>,
    };
    const instance = new Chart(canvas.current, config as never) as Chart<'line'>;
    chart.current = instance;
    applyData(instance, feed, lines);
    instance.update('none');
    const off = feed.subscribe(() => {
      applyData(instance, feed, lines);
      instance.update('none');
    });
    return () => {
      off();
      instance.destroy();
      chart.current = null;
    };
  }, [feed, lines, theme]);

  // Markers come from another request than the points, and later: set them when they do.
  const markers = props.markers;
  useEffect(() => {
    const instance = chart.current;
    const options = instance?.options.plugins?.markers;
    if (!instance || !options) return;
    options.markers = markers ?? [];
    instance.update('none');
  }, [markers]);

  const summaries = lines.map((line) => lineSummary(feed, line, unit));
  const described = summaries.map((s) => `${s.label}: ${s.count} points, latest ${s.last}`).join('; ');
  const markerText = markers && markers.length > 0 ? `; ${markers.length} marked: ${markers.map((m) => m.label).join(', ')}` : '';
  return (
    <figure className="chart-card" data-testid={testId}>
      <figcaption className="chart-head">
        <span className="chart-title">{title}</span>
        <span className="chart-latest">
          {summaries.map((s, i) => (
            <span key={s.label} className={`chart-value series-${i + 1}`}>
              {lines.length > 1 && <span className="chart-value-label">{s.label}</span>}
              {s.last}
            </span>
          ))}
        </span>
      </figcaption>
      <div className="chart-box">
        <canvas ref={canvas} role="img" aria-label={`${title}, last ${feed.range.label}: ${described}${markerText}`} />
      </div>
      {note && <p className="chart-foot muted">{note}</p>}
      {feed.status.state === 'error' && <p className="chart-error">History unavailable: {feed.status.message}</p>}
    </figure>
  );
});
