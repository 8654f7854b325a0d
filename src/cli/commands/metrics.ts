// `vigil metrics`: without a series, the series the history keeps; with one (or a bare name,
// which stands for each of its label sets), min/avg/max/last over the range and a sparkline,
// or every point with --json.
import { type Command, InvalidArgumentError } from 'commander';
import { formatDuration, parseDuration } from '../../core/kit/units.ts';
import type { MetricsQueryResult, SeriesInfo } from '../../shared/contract.ts';
import type { EngineClient } from '../engine-client.ts';
import { sparkline as drawSparkline } from '../sparkline.ts';

const SPARK_WIDTH = 48;

/** "15m", "1h", "24h", "7d": a whole number and a unit. */
function durationArg(option: string) {
  return (value: string): string => {
    const ms = /^\d+(ms|s|m|h|d|w)$/.test(value) ? parseDuration(value) : null;
    if (ms === null || ms <= 0) throw new InvalidArgumentError(`${option} takes a duration such as 15m, 1h, 24h or 7d, got ${JSON.stringify(value)}`);
    return value;
  };
}

/** A value in the unit its series' name says. */
export function formatValue(series: string, value: number): string {
  const name = series.split('{')[0]!;
  if (/_bytes$/.test(name)) return formatBytes(value);
  if (/_bytes_per_second$/.test(name)) return `${formatBytes(value)}/s`;
  if (/_percent$/.test(name)) return `${value.toFixed(1)}%`;
  if (/_celsius$/.test(name)) return `${value.toFixed(1)}°C`;
  if (/_ms$/.test(name)) return `${value.toFixed(1)}ms`;
  if (/_seconds$/.test(name)) return formatDuration(value * 1000);
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** The points' averages squeezed into `width` bars, lowest to highest of the range. */
export function sparkline(values: number[], width = SPARK_WIDTH): string {
  if (values.length === 0) return '';
  const buckets: number[] = [];
  const per = Math.max(1, values.length / width);
  for (let start = 0; start < values.length; start += per) {
    const slice = values.slice(Math.floor(start), Math.max(Math.floor(start) + 1, Math.floor(start + per)));
    buckets.push(slice.reduce((a, b) => a + b, 0) / slice.length);
  }
  return drawSparkline(buckets, { low: Math.min(...buckets), high: Math.max(...buckets) });
}

function summary(result: MetricsQueryResult, since: string): string {
  const { series, points } = result;
  if (points.length === 0) return `${series}\n  no samples in the last ${since}`;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const [, avg, low, high] of points) {
    sum += avg;
    min = Math.min(min, low);
    max = Math.max(max, high);
  }
  const show = (v: number) => formatValue(series, v);
  const step = result.step > 0 ? `${formatDuration(result.step)} steps` : 'every sample';
  return [
    `${series}`,
    `  min ${show(min)}  avg ${show(sum / points.length)}  max ${show(max)}  last ${show(points.at(-1)![1])}`,
    `  ${sparkline(points.map((p) => p[1]))}  (${points.length} points, last ${since}, ${result.tier} tier, ${step})`,
  ].join('\n');
}

function ago(t: number, now: number): string {
  return `${formatDuration(Math.max(0, now - t))} ago`;
}

function seriesTable(series: SeriesInfo[]): string {
  if (series.length === 0) return 'no series yet: the first samples are taken within 10 s of the start';
  const now = Date.now();
  const rows = [...series].sort((a, b) => a.key.localeCompare(b.key)).map((s) => [s.key, s.kind, ago(s.firstAt, now), ago(s.lastAt, now)]);
  const header = ['SERIES', 'KIND', 'FIRST', 'LAST'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}

export function addMetricsCommand(program: Command, client: () => EngineClient): void {
  program
    .command('metrics')
    .argument('[series]', 'a series key (service_cpu_percent{service="web"}) or a bare name for each of its label sets')
    .description('without a series, list the series kept; with one, its min/avg/max/last and a sparkline over --since')
    .option('--since <duration>', 'how far back: 15m, 1h, 24h, 7d', durationArg('--since'), '1h')
    .option('--step <duration>', 'one point per step (1m, 1h); default: the finest resolution kept', durationArg('--step'))
    .option('--json', 'print every point as JSON ([time ms, avg, min, max])')
    .action(async (series: string | undefined, opts: { since: string; step?: string; json?: boolean }) => {
      const c = client();
      if (series === undefined) {
        const list = await c.metricsSeries();
        console.log(opts.json ? JSON.stringify(list, null, 2) : seriesTable(list));
        return;
      }
      const results = await c.queryMetrics([series], { since: opts.since, stepMs: opts.step === undefined ? undefined : parseDuration(opts.step)! });
      console.log(opts.json ? JSON.stringify(results, null, 2) : results.map((r) => summary(r, opts.since)).join('\n\n'));
    });
}
