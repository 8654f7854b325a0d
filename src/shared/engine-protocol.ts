// The messages on a MessagePort between the engine host (the engine in Electron's utility
// process) and its clients: Electron main (tray, notifications) and the renderer (through the
// preload). Types only. The shapes come from the HTTP contract, so a client over a port and a
// client over HTTP/WebSocket see the same data. Also what Electron main and the engine host say
// to each other on the utility process's parent port.
import type { ApiRoutes } from './api-routes.ts';
import type { LiveMessage } from './events.ts';
import type { MetricsApiRoutes, MetricsQueryParams } from './metrics.ts';
import type { AutoRestartRequest, ServiceAction } from './services.ts';

/** What a client may ask the engine. */
export type EngineRequest =
  | { method: 'state' }
  | { method: 'events'; since?: number; before?: number; limit?: number }
  | { method: 'act'; service: string; action: ServiceAction }
  | { method: 'set-auto-restart'; request: AutoRestartRequest }
  | { method: 'restart-tunnel'; tunnel: string }
  | { method: 'metrics-series' }
  | ({ method: 'metrics-query' } & MetricsQueryParams);

export type EngineMethod = EngineRequest['method'];

/** What each request answers: the same payloads as the matching HTTP routes. */
export interface EngineResults {
  state: ApiRoutes['GET /api/state'];
  events: ApiRoutes['GET /api/events']['events'];
  act: ApiRoutes['POST /api/services/:name/:action']['services'];
  'set-auto-restart': ApiRoutes['PUT /api/auto-restart'];
  'restart-tunnel': null;
  'metrics-series': MetricsApiRoutes['GET /api/metrics/series']['series'];
  'metrics-query': MetricsApiRoutes['GET /api/metrics/query']['results'];
}

/** Client -> engine host. */
export interface CallMessage {
  id: number;
  call: EngineRequest;
}

export type ReplyMessage = { kind: 'reply'; id: number; ok: true; result: unknown } | { kind: 'reply'; id: number; ok: false; error: string };

/** Engine host -> client: replies, and the same live messages as WS /api/events. */
export type PortMessage = LiveMessage | ReplyMessage;

/** Engine host -> Electron main, on the utility process's parent port. */
export type HostToMain =
  | { kind: 'ready'; url: string; pid: number }
  | { kind: 'failed'; error: string }
  | { kind: 'stopped' };

/** Electron main -> engine host. `connect` carries one MessagePort in its transfer list. A
 * renderer's port counts as someone looking (sampling at the active rate, metrics ticks sent);
 * main's own (the tray) does not. */
export type MainToHost = { kind: 'connect'; client: 'main' | 'renderer' } | { kind: 'shutdown' };

/** How Electron main tells the engine host what to run (JSON in VIGIL_ENGINE_OPTIONS). */
export interface EngineHostOptions {
  /** Stack files; none means ./vigil.yml in the working folder, else the demo stack. */
  files: string[];
  /** API port on 127.0.0.1 (the CLI and a browser use it while the app runs). */
  port?: number;
  watch?: boolean;
}
