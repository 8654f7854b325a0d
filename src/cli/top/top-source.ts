// What `vigil top` asks the engine over HTTP: the state, the recent history of the sparkline
// series (so they are full as soon as the screen opens), the latest events, a restart.
import type { ApiRoutes, EngineEvent, MetricsQueryResult, StateSnapshot } from '../../shared/contract.ts';
import type { EngineClient } from '../engine-client.ts';
import { cpuSeries, healthLatencySeries, rssSeries } from './top-model.ts';

export function loadState(client: EngineClient): Promise<StateSnapshot> {
  return client.get<ApiRoutes['GET /api/state']>('/api/state');
}

/** The series the services' rows draw, over the last `spanMs` at `stepMs`: those of them that
 * the history has (asking for one it has not is an error, and a service that has not been
 * sampled yet, or has no health check, has none). */
export async function loadHistory(client: EngineClient, services: readonly string[], spanMs: number, stepMs: number): Promise<MetricsQueryResult[]> {
  const known = new Set((await client.metricsSeries()).map((s) => s.key));
  const wanted = services.flatMap((name) => [cpuSeries(name), rssSeries(name), healthLatencySeries(name)]).filter((key) => known.has(key));
  if (wanted.length === 0) return [];
  return client.queryMetrics(wanted, { since: `${Math.ceil(spanMs / 1000)}s`, stepMs });
}

export async function loadEvents(client: EngineClient, limit: number): Promise<EngineEvent[]> {
  return (await client.get<ApiRoutes['GET /api/events']>(`/api/events?limit=${limit}`)).events;
}

export async function restartService(client: EngineClient, name: string): Promise<void> {
  await client.request<ApiRoutes['POST /api/services/:name/:action']>('POST', `/api/services/${encodeURIComponent(name)}/restart`);
}
