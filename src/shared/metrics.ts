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

import type { EngineEvent } from './events.ts';

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

/** The name and labels of a series key made by seriesKey(); throws on a malformed key. */
export function parseSeriesKey(key: string): { name: string; labels: SeriesLabels } {
  const brace = key.indexOf('{');
  if (brace < 0) return { name: key, labels: {} };
  if (!key.endsWith('}')) throw new Error(`series key ${JSON.stringify(key)}: labels must end with "}"`);
  const labels: SeriesLabels = {};
  const body = key.slice(brace + 1, -1);
  let i = 0;
  while (i < body.length) {
    const eq = body.indexOf('="', i);
    if (eq < 0) throw new Error(`series key ${JSON.stringify(key)}: expected name="value" at ${brace + 1 + i}`);
    const label = body.slice(i, eq);
    let value = '';
    let j = eq + 2;
    for (; j < body.length && body[j] !== '"'; j++) {
      if (body[j] === '\\') {
        const next = body[++j];
        value += next === 'n' ? '\n' : (next ?? '');
      } else {
        value += body[j];
      }
    }
    if (j >= body.length) throw new Error(`series key ${JSON.stringify(key)}: unterminated value of label ${label}`);
    labels[label] = value;
    i = j + 1;
    if (body[i] === ',') i++;
  }
  return { name: key.slice(0, brace), labels };
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

/** A query for several series at once (the HTTP query route's parameters, the MessagePort's
 * `metrics-query`). A bare name (`service_cpu_percent`) stands for every series of that name.
 * `to` defaults to now, `from` to an hour before `to`, `step` to 0 (the tier's own). */
export interface MetricsQueryParams {
  series: string[];
  from?: number;
  to?: number;
  step?: number;
}

/** The metrics routes of the HTTP API (and the same payloads over the MessagePort). */
export interface MetricsApiRoutes {
  /** Every series kept, with its first and last sample time. */
  'GET /api/metrics/series': { series: SeriesInfo[] };
  /** ?series=KEY (repeatable; a bare name stands for each of its label sets)&from=ms&to=ms&step=ms,
   * or since=1h (15m, 24h, 7d...) for from=now-1h; from/to default to the last hour, step to 0
   * (the tier's own). One result per series, in the order asked. An unknown series is a 400
   * that names close ones. */
  'GET /api/metrics/query': { results: MetricsQueryResult[] };
}

/** Live message on the existing channel (WS /api/events, the MessagePort): one sampling tick. */
export interface MetricsLiveMessage {
  kind: 'metrics';
  tick: MetricsTick;
}

// ---- event history (persisted engine events) and availability ----

/** Written by the engine into the event history so that availability knows when Vigil was
 * watching: engine.start when it starts, engine.stop when it stops. For an engine that died
 * without saying so, the next start writes its engine.stop at its last sign of life. */
export interface EngineMarker {
  type: 'engine.start' | 'engine.stop';
  time: string;
  service: null;
  message: string;
  pid?: number;
  crashed?: boolean;
}

export type HistoryEvent = EngineEvent | EngineMarker;

export interface StoredEvent {
  /** Increases with every stored event, across engine restarts (unlike EngineEvent.id). */
  seq: number;
  /** The event's time, ms since the epoch. */
  t: number;
  event: HistoryEvent;
}

export interface EventsQuery {
  /** Only events at or after this time (ms since the epoch). */
  since?: number;
  /** Only events before this time: pass a page's `before` to get the page older than it. */
  before?: number;
  /** How many, newest first (default 200, at most 10,000); a page never splits a millisecond. */
  limit?: number;
  service?: string;
}

export interface EventsPage {
  /** Oldest first. */
  events: StoredEvent[];
  /** Where the next older page starts (the oldest time here), or null when this is the last. */
  before: number | null;
}

/** Share of the time a service was up, Uptime Kuma style (see the store's availability.ts). */
export interface ServiceAvailability {
  service: string;
  from: number;
  to: number;
  upMs: number;
  downMs: number;
  /** Stopped by the user, removed, or not watched (no engine ran, or before any record). */
  excludedMs: number;
  /** upMs / (upMs + downMs) × 100, null when none of the range counts. */
  percent: number | null;
  /** How the service stood at the end of the range (its time until the next change counts so). */
  standing: 'up' | 'down' | 'excluded';
}
