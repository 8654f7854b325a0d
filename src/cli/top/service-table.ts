// The service table of `vigil top`: one row per service, with CPU and memory as a figure and a
// sparkline. Columns leave as the terminal narrows, in this order: pid, health latency,
// availability, the memory sparkline, the CPU sparkline, uptime, restarts, memory, CPU; the
// name and state always stay (a long name is cut with "…").
import type { ServiceSnapshot, StateSnapshot } from '../../shared/contract.ts';
import { stateTone, type Tone, uptimeMs } from '../../renderer/format.ts';
import { columns, fitText, type Paint } from './cells.ts';
import { type ColumnSpec, fitColumns } from './column-fit.ts';
import { availabilityPercent, compactBytes, compactDuration, compactPercent, latency } from './format.ts';
import { buckets, latestValue, type SampleWindow } from './sample-window.ts';
import { rangeAround, rangeFromZero, sparkline } from '../sparkline.ts';
import { cpuSeries, healthLatencySeries, rssSeries } from './top-model.ts';

export type ServiceColumn = 'name' | 'state' | 'pid' | 'cpu' | 'cpuSpark' | 'rss' | 'rssSpark' | 'restarts' | 'uptime' | 'health' | 'availability';

export interface TableInput {
  state: StateSnapshot;
  samples: SampleWindow;
  selected: string | null;
  now: number;
  /** How often the screen is redrawn: a sparkline character never covers less. */
  refreshMs: number;
  /** How old a sample may be and still count as the current value. */
  holdMs: number;
  paint: Paint;
}

const GAP = 1;
/** The selection marker's column, before the name. */
const GUTTER = 1;
/** Below this a busy CPU sparkline is scaled to its own peak; an idle one stays flat. */
const CPU_SCALE_FLOOR = 5;
/** A memory sparkline spans at least a tenth of the service's RSS, so noise stays small. */
const RSS_SCALE_SHARE = 0.1;
/** A sparkline shows about the last two minutes, however wide it is. */
const SPAN_MS = 120_000;
/** What one character may cover: round figures, so the title reads "last 2m", not "last 1m53s". */
const STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600].map((s) => s * 1000);

/** How long one character of a `width`-character sparkline covers: the shortest round step
 * that spans about two minutes, and never less than the redraw interval (a character that
 * changes more often than the screen is redrawn would skip values). */
export function sparkStepMs(width: number, refreshMs: number): number {
  const wanted = Math.max(refreshMs, Math.ceil(SPAN_MS / Math.max(1, width)));
  return STEPS_MS.find((step) => step >= wanted) ?? wanted;
}

const SPARK_MIN = 7;
const SPARK_MAX = 40;

/** The longest stretch of time any sparkline of the table can show: the history to fetch. */
export function longestSparkSpanMs(refreshMs: number): number {
  let longest = 0;
  for (let width = SPARK_MIN; width <= SPARK_MAX; width++) longest = Math.max(longest, width * sparkStepMs(width, refreshMs));
  return longest;
}

/** "crash-looping" is the one state too long for the column. */
function stateWord(service: ServiceSnapshot): string {
  return service.state === 'crash-looping' ? 'crash-loop' : service.state;
}

function specs(services: readonly ServiceSnapshot[]): ColumnSpec<ServiceColumn>[] {
  const longestName = Math.max(0, ...services.map((s) => columns(s.name)));
  const name = Math.max(7, longestName); // "SERVICE"
  return [
    { id: 'name', min: Math.min(name, 10), max: Math.min(name, 32), dropRank: null, growRank: 0 },
    { id: 'state', min: 10, max: 10, dropRank: null },
    { id: 'pid', min: 7, max: 7, dropRank: 0 },
    { id: 'cpu', min: 5, max: 5, dropRank: 8 },
    { id: 'cpuSpark', min: SPARK_MIN, max: SPARK_MAX, dropRank: 4, growRank: 1 },
    { id: 'rss', min: 5, max: 5, dropRank: 7 },
    { id: 'rssSpark', min: SPARK_MIN, max: SPARK_MAX, dropRank: 3, growRank: 1 },
    { id: 'restarts', min: 3, max: 3, dropRank: 6 },
    { id: 'uptime', min: 6, max: 6, dropRank: 5 },
    { id: 'health', min: 6, max: 6, dropRank: 1 },
    { id: 'availability', min: 5, max: 5, dropRank: 2 },
  ];
}

const RIGHT_ALIGNED = new Set<ServiceColumn>(['pid', 'cpu', 'rss', 'restarts', 'uptime', 'health', 'availability']);

/** "4m", "2m20s", "45s": the stretch a sparkline shows, without a zero part. */
function spanWords(ms: number): string {
  return compactDuration(ms).replace(/(\d[mhd])0+[smh]$/, '$1');
}

function titles(stepMs: number, sparkWidth: number): Record<ServiceColumn, (width: number) => string> {
  const span = (width: number) => {
    const words = spanWords(sparkWidth * stepMs);
    return `last ${words}`.length <= width ? `last ${words}` : words;
  };
  return {
    name: () => 'SERVICE',
    state: () => 'STATE',
    pid: () => 'PID',
    cpu: () => 'CPU%',
    cpuSpark: span,
    rss: () => 'RSS',
    rssSpark: span,
    restarts: () => 'RST',
    uptime: () => 'UPTIME',
    health: () => 'HEALTH',
    availability: () => 'AVAIL',
  };
}

function availabilityTone(percent: number | null | undefined): Tone | null {
  if (percent === null || percent === undefined) return null;
  return percent >= 99.9 ? 'ok' : percent >= 99 ? 'warn' : 'bad';
}

/** Each cell as text and an optional tone, for one service at a given column width. */
function cells(input: TableInput, stepMs: number, sparkWidth: number, service: ServiceSnapshot): Record<ServiceColumn, (width: number) => { text: string; tone?: Tone | null }> {
  const { samples, now, holdMs } = input;
  const usage = input.state.metrics.services[service.name];
  const down = service.state === 'stopped';
  const current = (key: string, fallback: number | null | undefined) => (down ? null : (latestValue(samples, key, now, holdMs) ?? fallback ?? null));
  const history = (key: string) => buckets(samples, key, now, stepMs, sparkWidth, holdMs);
  return {
    name: () => ({ text: service.name }),
    state: () => ({ text: stateWord(service), tone: stateTone(service) }),
    pid: () => ({ text: service.pid === null ? '-' : String(service.pid) }),
    cpu: () => ({ text: compactPercent(current(cpuSeries(service.name), usage?.cpuPercent)) }),
    cpuSpark: () => {
      const values = history(cpuSeries(service.name));
      return { text: sparkline(values, rangeFromZero(values, CPU_SCALE_FLOOR)), tone: 'busy' };
    },
    rss: () => ({ text: compactBytes(current(rssSeries(service.name), usage?.rssBytes)) }),
    rssSpark: () => {
      const values = history(rssSeries(service.name));
      return { text: sparkline(values, rangeAround(values, RSS_SCALE_SHARE)), tone: 'busy' };
    },
    restarts: () => ({ text: String(service.restarts), tone: service.restarts > 0 ? 'warn' : null }),
    uptime: () => ({ text: compactDuration(uptimeMs(service, now)) }),
    health: () => ({ text: latency(current(healthLatencySeries(service.name), null)), tone: service.healthy === false ? 'warn' : null }),
    availability: () => ({ text: availabilityPercent(usage?.availability.day), tone: availabilityTone(usage?.availability.day) }),
  };
}

export interface ServiceTable {
  header: string;
  /** One line per service, in the snapshot's order. */
  rows: string[];
  /** The columns shown, left to right (tests and the README read it). */
  shown: ServiceColumn[];
}

/** The table for a terminal `width` columns wide. */
export function serviceTable(input: TableInput, width: number): ServiceTable {
  const services = input.state.services;
  const fitted = fitColumns(specs(services), width - GUTTER, GAP);
  // One step for both sparklines (they may differ by a column), so their characters line up in time.
  // Both sparklines as wide as the narrower (their columns may differ by one): the same
  // stretch of time, character for character.
  const sparkWidth = Math.min(SPARK_MAX, ...fitted.filter((c) => c.id === 'cpuSpark' || c.id === 'rssSpark').map((c) => c.width));
  const stepMs = sparkStepMs(sparkWidth, input.refreshMs);
  const title = titles(stepMs, sparkWidth);
  const gap = ' '.repeat(GAP);
  const header = ' '.repeat(GUTTER) + fitted.map((c) => fitText(title[c.id](c.width), c.width, RIGHT_ALIGNED.has(c.id) ? 'right' : 'left')).join(gap);
  const rows = services.map((service) => {
    const selected = service.name === input.selected;
    const cellOf = cells(input, stepMs, sparkWidth, service);
    const line = fitted.map(({ id, width: w }) => {
      const { text, tone } = cellOf[id](w);
      const padded = fitText(text, w, RIGHT_ALIGNED.has(id) ? 'right' : 'left');
      if (id === 'name' && selected) return input.paint(padded, 'bold');
      return tone ? input.paint(padded, tone) : padded;
    });
    return (selected ? '>' : ' ') + line.join(gap);
  });
  return { header: input.paint(header, 'bold'), rows, shown: fitted.map((c) => c.id) };
}
