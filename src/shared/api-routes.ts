// The HTTP routes of the engine's local API (`vigil serve`, the app's engine on 127.0.0.1), for
// clients that want them typed. The MessagePort protocol (engine-protocol.ts) answers with the
// same payloads; the live messages of WS /api/events are in events.ts. Types only, the default
// port, and the content type of the one route that is not JSON (GET /metrics, for Prometheus).
import type { EngineEvent } from './events.ts';
import type { FlyRestartResult, FlySnapshot } from './fly.ts';
import type { FreePortResult, IncidentRecord, LogLine } from './services.ts';
import type { StateSnapshot } from './state.ts';
import type { TunnelSnapshot } from './tunnels.ts';

export interface ApiRoutes {
  'GET /health': { ok: true; version: string; pid: number; uptimeMs: number };
  'GET /api/state': StateSnapshot;
  'POST /api/services/:name/:action': { ok: true; services: string[] };
  'PUT /api/auto-restart': StateSnapshot;
  'GET /api/services/:name/logs': { service: string; lines: LogLine[] };
  'GET /api/services/:name/incidents': { service: string; incidents: IncidentRecord[] };
  /** ?since=ID&before=ID&limit=N: the newest `limit` events with since < id < before, oldest
   * first, from the history file (so across restarts of Vigil); `before` is what to pass for
   * the page older than this one, null when there is none. */
  'GET /api/events': { events: EngineEvent[]; before: number | null };
  'GET /api/tunnels': { tunnels: TunnelSnapshot[] };
  'POST /api/tunnels/:name/restart': { ok: true; tunnel: string };
  'GET /api/fly': { fly: FlySnapshot | null };
  'POST /api/fly/machines/:machine/restart': { ok: true; results: FlyRestartResult[] };
  'GET /api/ports/:port': FreePortResult;
  'POST /api/ports/:port/free': FreePortResult;
}

/** What Prometheus scrapes: not JSON, and behind the scrape token (VIGIL_HOME/scrape-token),
 * which is not the API token; neither opens the other's routes. */
export interface ScrapeRoutes {
  /** The Prometheus text exposition format 0.0.4 (PROMETHEUS_TEXT_CONTENT_TYPE). */
  'GET /metrics': string;
}

/** The content type of the text format Prometheus scrapes (prom-client's Registry.PROMETHEUS_CONTENT_TYPE). */
export const PROMETHEUS_TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export const DEFAULT_API_PORT = 7357;
