// Series for what only the supervisor knows about a service: how often it restarted, how long
// the current process has been up, and how long its last health check took.
import { seriesKey } from '../../../shared/metrics.ts';
import type { Sample } from './sample.ts';

export interface SupervisorStats {
  name: string;
  /** Restarts since the engine started (a counter: it only grows). */
  restarts: number;
  /** Null while the service has no process. */
  uptimeMs: number | null;
  /** The last health check's duration, if it passed; null when there is no check, it has not
   * run yet for this process, or it failed (see supervised-services.ts). */
  healthLatencyMs: number | null;
}

export function supervisorSeries(stats: SupervisorStats): Sample[] {
  const labels = { service: stats.name };
  const samples: Sample[] = [{ key: seriesKey('service_restarts_total', labels), value: stats.restarts, kind: 'counter' }];
  if (stats.uptimeMs !== null) samples.push({ key: seriesKey('service_uptime_seconds', labels), value: stats.uptimeMs / 1000, kind: 'gauge' });
  if (stats.healthLatencyMs !== null) samples.push({ key: seriesKey('service_health_latency_ms', labels), value: stats.healthLatencyMs, kind: 'gauge' });
  return samples;
}
