// The metrics part of the API contract: series, queries and live samples, as every layer
// (engine, HTTP, MessagePort, renderer, CLI) sees them. Types and pure helpers only.
//
// A series is a metric name plus labels, named the Prometheus way. Its key is the canonical
// text `name{a="x",b="y"}` (labels sorted, values escaped as in the Prometheus text format;
// no braces without labels). Vigil's own series:
//   system_cpu_percent, system_cpu_core_percent{core}, system_load1|5|15,
//   system_memory_used_bytes, system_memory_total_bytes, system_memory_percent,
//   system_swap_used_bytes, system_swap_percent,
//   system_disk_used_bytes{mount}, system_disk_size_bytes{mount}, system_disk_used_percent{mount},
//   system_disk_read_bytes_per_second, system_disk_write_bytes_per_second,
//   system_network_rx_bytes_per_second{interface}, system_network_tx_bytes_per_second{interface},
//   system_temperature_celsius{sensor},
//   service_cpu_percent{service}, service_rss_bytes{service}, service_threads{service},
//   service_processes{service}, service_restarts_total{service}, service_uptime_seconds{service},
//   service_health_latency_ms{service},
//   tunnel_* {tunnel,kind,...} and fly_* {app,machine,region} from the watchers' observations.
// Series scraped from a service's own metrics URL keep their names and gain `service="<name>"`
// (a label of that name the app set itself becomes `exported_service`, as Prometheus does).

export type SeriesLabels = Record<string, string>;

/** How the values of a series behave: a counter only grows (until its process restarts). */
export type SeriesKind = 'gauge' | 'counter';

/** History is kept in tiers: raw at the sampling rate, then per-minute and per-hour rollups. */
export type HistoryTier = 'raw' | 'minute' | 'hour';

export interface SeriesInfo {
  key: string;
  name: string;
  labels: SeriesLabels;
  kind: SeriesKind;
  /** Milliseconds since the epoch of the oldest and newest sample still kept. */
  firstAt: number;
  lastAt: number;
}

/** One point of a query answer: [time ms, avg, min, max]. Raw samples have min = max = avg.
 * Arrays, not objects: a week at one-minute steps is 10,080 points per series. */
export type MetricPoint = [t: number, avg: number, min: number, max: number];

export interface MetricsQueryRequest {
  series: string;
  /** Milliseconds since the epoch. */
  from: number;
  to: number;
  /** The resolution wanted, in ms; the store answers from the coarsest tier that gives it. */
  step: number;
}

export interface MetricsQueryResult {
  series: string;
  tier: HistoryTier;
  /** The step of the points actually returned (a tier's own step, or the asked step when coarser). */
  step: number;
  points: MetricPoint[];
}

/** A live message: the values sampled at one tick (series key -> value). */
export interface MetricsTick {
  t: number;
  values: Record<string, number>;
}

/** Whether history is being written, and why not when it is not (disk full, file locked). */
export interface HistoryStatus {
  writing: boolean;
  reason: string | null;
  sizeBytes: number;
  since: string | null;
}

const LABEL_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n' };

/** The canonical key of a series: `name{a="x",b="y"}`, labels sorted by name. */
export function seriesKey(name: string, labels: SeriesLabels = {}): string {
  const names = Object.keys(labels).sort();
  if (names.length === 0) return name;
  const parts = names.map((l) => `${l}="${labels[l]!.replace(/[\\"\n]/g, (c) => LABEL_ESCAPES[c]!)}"`);
  return `${name}{${parts.join(',')}}`;
}

/** A service's usage now (its whole process tree), and its availability from stored history. */
export interface ServiceUsage {
  cpuPercent: number | null;
  rssBytes: number | null;
  threads: number | null;
  /** Percent of the time it was running and healthy, over 24 h and 7 d (null: no data yet). */
  availability: { day: number | null; week: number | null };
}

/** The metrics part of the state snapshot. */
export interface MetricsSnapshot {
  history: HistoryStatus;
  /** The sampling interval in force: the active one while somebody looks, else the idle one. */
  sampling: { intervalMs: number; active: boolean };
  /** The latest system values (series key -> value), for at-a-glance views. */
  system: Record<string, number>;
  services: Record<string, ServiceUsage>;
}

/** The metrics routes of the HTTP API (and the same payloads over the MessagePort). */
export interface MetricsApiRoutes {
  /** Every series kept, with its first and last sample time. */
  'GET /api/metrics/series': { series: SeriesInfo[] };
  /** ?series=KEY (repeatable)&from=ms&to=ms&step=ms; from/to default to the last hour. */
  'GET /api/metrics/query': { results: MetricsQueryResult[] };
}

/** Live message on the existing channel (WS /api/events, the MessagePort): one sampling tick. */
export interface MetricsLiveMessage {
  kind: 'metrics';
  tick: MetricsTick;
}
