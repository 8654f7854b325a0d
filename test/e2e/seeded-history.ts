// History left by an earlier Vigil, written into VIGIL_HOME before `vigil serve` starts: two
// hours of the demo stack's series at the idle rate (every 10 s), with half an hour missing
// (Vigil was not running), and a crash of alpha that was restarted. The charts must show it
// from their first query, before any live tick.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { HISTORY_FILE } from '../../src/core/metrics/metrics-subsystem.ts';
import { MetricStore } from '../../src/core/metrics/store/metric-store.ts';
import { seriesKey } from '../../src/shared/metrics.ts';

const MINUTE = 60_000;
export const SEED_EVERY_MS = 10_000;
/** The newest seeded sample is this long before the engine starts. */
export const SEED_END_AGO_MS = 30_000;
export const SEED_SPAN_MS = 120 * MINUTE;
/** No samples in [start, end): Vigil was not running. */
export const SEED_HOLE_AGO_MS = { start: 90 * MINUTE, end: 60 * MINUTE };
/** alpha crashed this long before the engine starts, and was restarted 2 s later. */
export const SEED_CRASH_AGO_MS = 10 * MINUTE;

function seededSeries(): Record<string, (t: number) => number> {
  const wave = (t: number, period: number) => Math.sin((t / period) * 2 * Math.PI);
  const series: Record<string, (t: number) => number> = {
    system_cpu_percent: (t) => 30 + 20 * wave(t, 20 * MINUTE),
    system_memory_percent: (t) => 55 + 5 * wave(t, 60 * MINUTE),
    system_disk_read_bytes_per_second: (t) => 200_000 + 150_000 * wave(t, 7 * MINUTE),
    system_disk_write_bytes_per_second: (t) => 400_000 + 300_000 * wave(t, 11 * MINUTE),
    [seriesKey('system_network_rx_bytes_per_second', { interface: 'eth0' })]: (t) => 50_000 + 40_000 * wave(t, 5 * MINUTE),
    [seriesKey('system_network_tx_bytes_per_second', { interface: 'eth0' })]: (t) => 20_000 + 15_000 * wave(t, 9 * MINUTE),
  };
  for (const [i, service] of ['alpha', 'beta'].entries()) {
    series[seriesKey('service_cpu_percent', { service })] = (t) => 3 + 2 * wave(t, (8 + i) * MINUTE);
    series[seriesKey('service_rss_bytes', { service })] = (t) => 48_000_000 + 4_000_000 * wave(t, (30 + i) * MINUTE);
    series[seriesKey('service_health_latency_ms', { service })] = (t) => 4 + 2 * wave(t, (6 + i) * MINUTE);
  }
  return series;
}

/** Writes the seeded history into `home`; `now` is when the engine is about to start. */
export function seedHistory(home: string, now: number): { samplesPerSeries: number } {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const store = MetricStore.open(path.join(home, HISTORY_FILE), { now: () => now, commitEveryMs: 0 });
  const series = Object.entries(seededSeries());
  const end = now - SEED_END_AGO_MS;
  let samples = 0;
  for (let t = Math.ceil((end - SEED_SPAN_MS) / SEED_EVERY_MS) * SEED_EVERY_MS; t <= end; t += SEED_EVERY_MS) {
    if (t >= now - SEED_HOLE_AGO_MS.start && t < now - SEED_HOLE_AGO_MS.end) continue;
    for (const [key, value] of series) store.append(key, t, value(t), 'gauge');
    samples++;
  }
  const crash = now - SEED_CRASH_AGO_MS;
  const at = (t: number) => new Date(t).toISOString();
  store.appendEvent({ id: 0, time: at(crash), type: 'service.exit', service: 'alpha', message: 'exited with code 1 after 1h 12m', exitCode: 1, signal: null });
  store.appendEvent({ id: 0, time: at(crash + 2000), type: 'service.state', service: 'alpha', from: 'backoff', to: 'starting', reason: 'crash', message: 'started pid 4242' });
  store.appendEvent({ id: 0, time: at(crash + 2500), type: 'service.state', service: 'alpha', from: 'starting', to: 'running', reason: null, message: 'running' });
  if (!store.commit()) throw new Error(`seeding history failed: ${store.status().reason}`);
  store.close();
  return { samplesPerSeries: samples };
}
