// What `vigil top` asks the engine over HTTP: the state, the recent history of the sparkline
// series (so they are full as soon as the screen opens), the latest events, a restart.
import type { ApiRoutes, EngineEvent, MetricsApiRoutes, MetricsQueryResult, StateSnapshot } from '../../shared/contract.ts';
import { ApiError, type EngineClient } from '../engine-client.ts';
import { cpuSeries, healthLatencySeries, rssSeries } from './top-model.ts';

export function loadState(client: EngineClient): Promise<StateSnapshot> {
  return client.get<ApiRoutes['GET /api/state']>('/api/state');
}

/** The series a service's row draws, for the last `spanMs`, at `stepMs`. An engine without
 * the metrics routes answers 404: no history then, the sparklines fill as ticks come. */
export async function loadHistory(client: EngineClient, services: readonly string[], now: number, spanMs: number, stepMs: number): Promise<MetricsQueryResult[]> {
  if (services.length === 0) return [];
  const query = new URLSearchParams({ from: String(now - spanMs), to: String(now), step: String(stepMs) });
  for (const name of services) {
    for (const key of [cpuSeries(name), rssSeries(name), healthLatencySeries(name)]) query.append('series', key);
  }
  try {
    return (await client.get<MetricsApiRoutes['GET /api/metrics/query']>(`/api/metrics/query?${query}`)).results;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return [];
    throw err;
  }
}

export async function loadEvents(client: EngineClient, limit: number): Promise<EngineEvent[]> {
  return (await client.get<ApiRoutes['GET /api/events']>(`/api/events?limit=${limit}`)).events;
}

export async function restartService(client: EngineClient, name: string): Promise<void> {
  await client.request<ApiRoutes['POST /api/services/:name/:action']>('POST', `/api/services/${encodeURIComponent(name)}/restart`);
}
