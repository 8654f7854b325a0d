// A stand-in engine inside the page, for the chart benchmarks and previews: series that look
// like a machine's (a wave plus noise, deterministic), a history answer with a gap, restart
// events, and ticks pushed when the bench says so (or every second). Not used by any test.
import type { EngineEvent, LiveMessage } from '../../src/shared/contract.ts';
import type { MetricPoint, MetricsQueryParams, MetricsQueryResult, SeriesInfo } from '../../src/shared/metrics.ts';
import { parseSeriesKey, seriesKey } from '../../src/shared/metrics.ts';
import type { ConnectionStatus, EngineClient } from '../../src/renderer/client/engine-client.ts';
import type { LiveSource } from '../../src/renderer/metrics/metrics-feed.ts';

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) / 2 ** 32;
}

/** A plausible value of a series at time t. */
export function syntheticValue(key: string, t: number): number {
  const { name } = parseSeriesKey(key);
  const phase = hash(key) * Math.PI * 2;
  const wave = (period: number) => Math.sin(t / period + phase);
  const noise = hash(`${key}${Math.floor(t / 1000)}`) - 0.5;
  if (name.endsWith('_percent')) return Math.max(0, 25 + 15 * wave(90_000) + 8 * noise + (name.startsWith('system_memory') ? 30 : 0));
  if (name.endsWith('_bytes')) return 80e6 + 20e6 * wave(300_000) + 2e6 * noise;
  if (name.endsWith('_per_second')) return Math.max(0, 200e3 + 150e3 * wave(60_000) + 100e3 * noise);
  if (name.endsWith('_ms')) return Math.max(1, 40 + 20 * wave(120_000) + 15 * noise);
  return 1;
}

export class SyntheticEngine implements Pick<EngineClient, 'listSeries' | 'queryMetrics' | 'getEvents'>, LiveSource {
  readonly keys: string[];
  private readonly services: string[];
  private readonly listeners = new Set<(message: LiveMessage) => void>();
  queries: MetricsQueryParams[] = [];
  now: number;

  constructor(services: string[], now = Date.now()) {
    this.now = now;
    this.services = services;
    this.keys = [
      'system_cpu_percent',
      'system_memory_percent',
      'system_swap_percent',
      'system_disk_read_bytes_per_second',
      'system_disk_write_bytes_per_second',
      seriesKey('system_network_rx_bytes_per_second', { interface: 'eth0' }),
      seriesKey('system_network_tx_bytes_per_second', { interface: 'eth0' }),
      seriesKey('system_network_rx_bytes_per_second', { interface: 'lo' }),
      seriesKey('tunnel_probe_duration_ms', { tunnel: 'web', kind: 'ngrok' }),
      ...services.flatMap((service) => [
        seriesKey('service_cpu_percent', { service }),
        seriesKey('service_rss_bytes', { service }),
        seriesKey('service_health_latency_ms', { service }),
      ]),
    ];
  }

  async listSeries(): Promise<SeriesInfo[]> {
    return this.keys.map((key) => ({ key, ...parseSeriesKey(key), kind: 'gauge', firstAt: this.now - 7 * 86_400_000, lastAt: this.now }));
  }

  async queryMetrics(params: MetricsQueryParams): Promise<MetricsQueryResult[]> {
    this.queries.push(params);
    const to = params.to ?? this.now;
    const request = { series: params.series, to, from: params.from ?? to - 3_600_000 };
    const step = Math.max(1000, params.step ?? 0);
    // An hour without samples, 20 minutes ago or 20 % into the range, whichever is older.
    const holeEnd = request.to - Math.max(20 * 60_000, (request.to - request.from) * 0.2);
    const holeStart = holeEnd - 60 * 60_000;
    return request.series.map((key) => {
      const points: MetricPoint[] = [];
      for (let t = Math.ceil(request.from / step) * step; t <= request.to; t += step) {
        if (t > holeStart && t < holeEnd) continue;
        const v = syntheticValue(key, t);
        points.push([t, v, v * 0.8, v * 1.2]);
      }
      return { series: key, tier: step >= 60_000 ? 'minute' : 'raw', step, points };
    });
  }

  /** A restart of each service 9 minutes ago, and a new definition 40 minutes ago. */
  async getEvents(options: { before?: number; limit?: number } = {}): Promise<EngineEvent[]> {
    const time = (ago: number) => new Date(this.now - ago).toISOString();
    const events: EngineEvent[] = this.services.flatMap((service, i): EngineEvent[] => [
      { id: 3 * i + 1, time: time(40 * 60_000), type: 'service.redefined', service, message: 'command changed' },
      { id: 3 * i + 2, time: time(9 * 60_000), type: 'service.exit', service, message: 'exited with code 1 after 2h 05m' },
      { id: 3 * i + 3, time: time(9 * 60_000 - 1500), type: 'service.state', service, from: 'backoff', to: 'starting', message: 'starting' },
    ]);
    return events.filter((e) => options.before === undefined || e.id < options.before).slice(-(options.limit ?? 1000));
  }

  subscribe(listener: (message: LiveMessage) => void, onStatus?: (status: ConnectionStatus) => void): () => void {
    this.listeners.add(listener);
    onStatus?.('open');
    return () => void this.listeners.delete(listener);
  }

  /** Sends one tick of every series, `ms` after the last. */
  tick(ms = 1000): void {
    this.now += ms;
    const values: Record<string, number> = {};
    for (const key of this.keys) values[key] = syntheticValue(key, this.now);
    for (const l of [...this.listeners]) l({ kind: 'metrics', tick: { t: this.now, values } });
  }
}
