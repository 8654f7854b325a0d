// A `vigil top` model as the engine would fill it: a snapshot with its metrics section, and
// five minutes of live ticks (one a second) for the sparklines.
import type { MetricsSnapshot, MetricsTick, ServiceSnapshot, StateSnapshot } from '../../../src/shared/contract.ts';
import { cpuSeries, initialTopModel, rssSeries, type TopModel, withLive } from '../../../src/cli/top/top-model.ts';
import { service, snapshot } from '../../main/snapshots.ts';

/** One hour after the engine (and the services of snapshots.ts) started. */
export const NOW = Date.parse('2026-01-01T01:00:00.000Z');

export function metrics(services: ServiceSnapshot[], overrides: Partial<MetricsSnapshot> = {}): MetricsSnapshot {
  return {
    history: { writing: true, reason: null, sizeBytes: 12_345_678, since: '2026-01-01T00:00:00.000Z' },
    sampling: { intervalMs: 1000, active: true },
    system: {
      system_cpu_percent: 37.5,
      system_memory_percent: 61.2,
      system_memory_used_bytes: 10 * 1024 ** 3,
      system_memory_total_bytes: 16 * 1024 ** 3,
      system_swap_percent: 0,
      system_load1: 0.52,
      system_load5: 0.48,
      system_load15: 0.4,
      'system_disk_used_percent{mount="/"}': 31,
      'system_disk_used_percent{mount="/data"}': 87.5,
      'system_network_rx_bytes_per_second{interface="eth0"}': 1_200_000,
      'system_network_tx_bytes_per_second{interface="eth0"}': 34_000,
      'system_network_rx_bytes_per_second{interface="lo"}': 99_000_000,
    },
    services: Object.fromEntries(
      services.map((s, i) => [s.name, { cpuPercent: 1 + i, rssBytes: (100 + i) * 1024 ** 2, threads: 7, availability: { day: 99.95, week: 99.5 } }]),
    ),
    ...overrides,
  };
}

export function stateWithMetrics(services: ServiceSnapshot[], overrides: Partial<StateSnapshot> = {}): StateSnapshot {
  return snapshot(services, { metrics: metrics(services), ...overrides });
}

/** A tick a second for the last `seconds` (five minutes: every sparkline full): the first service idles, then uses 60 % CPU for
 * the last three; the others use 2 %. RSS holds at 150 MiB, health checks answer in 12 ms. */
export function ticks(services: ServiceSnapshot[], seconds = 300): MetricsTick[] {
  const out: MetricsTick[] = [];
  for (let s = seconds - 1; s >= 0; s--) {
    const values: Record<string, number> = { system_cpu_percent: 40 };
    services.forEach((svc, i) => {
      values[cpuSeries(svc.name)] = i > 0 ? 2 : s < 3 ? 60 : 0;
      values[rssSeries(svc.name)] = 150 * 1024 ** 2;
      values[`service_health_latency_ms{service="${svc.name}"}`] = 12;
    });
    out.push({ t: NOW - s * 1000, values });
  }
  return out;
}

export function topModel(services: ServiceSnapshot[] = [service('api', { pid: 4242 }), service('worker', { pid: 4243, restarts: 3 })], overrides: Partial<StateSnapshot> = {}): TopModel {
  let model = withLive(initialTopModel(5 * 60_000), { kind: 'state', state: stateWithMetrics(services, overrides) });
  for (const tick of ticks(services)) model = withLive(model, { kind: 'metrics', tick });
  return model;
}

export { service };
