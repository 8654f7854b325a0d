// Every route of the local API, one entry per route of the contract (ApiRoutes, in
// src/shared/api-routes.ts): what it reads besides its path (query parameters, a JSON body) and
// what it does. The server answers SERVED_ROUTES, and the fuzz test walks that same table
// (test/server/api-fuzz.test.ts).
import type { ApiRoutes, MetricsApiRoutes, ScrapeRoutes, ServiceAction } from '../../shared/contract.ts';
import { NotFoundError } from '../not-found-error.ts';
import { UnknownServiceError } from '../supervisor/supervisor.ts';
import { VERSION } from '../version.ts';
import { describeValue, HttpError } from './http-error.ts';
import { parseAutoRestartRequest } from './request-bodies.ts';
import { portParam, wholeNumberParam } from './request-params.ts';
import { METRICS_ROUTES } from './metrics-routes.ts';
import type { RouteTable } from './route-table.ts';
import { SCRAPE_ROUTES } from './scrape-routes.ts';

const ACTIONS: readonly ServiceAction[] = ['start', 'stop', 'restart'];

function action(value: string): ServiceAction {
  if (!(ACTIONS as readonly string[]).includes(value)) throw new HttpError(400, `"action" must be start, stop or restart, got ${describeValue(value)}`);
  return value as ServiceAction;
}

export const API_ROUTES: RouteTable<ApiRoutes> = {
  'GET /health': {
    handle: () => ({ ok: true, version: VERSION, pid: process.pid, uptimeMs: Math.round(process.uptime() * 1000) }),
  },
  'GET /api/state': { handle: (engine) => engine.snapshot() },
  'GET /api/events': {
    query: ['since', 'before', 'limit'],
    handle: (engine, { query }) => {
      const before = query.get('before');
      return engine.eventPage({
        since: wholeNumberParam(query.get('since'), 'since', 0),
        before: before === null ? undefined : wholeNumberParam(before, 'before', 0),
        limit: Math.max(1, wholeNumberParam(query.get('limit'), 'limit', 1000, 5000)),
      });
    },
  },
  'PUT /api/auto-restart': {
    body: true,
    handle: (engine, { body }) => {
      const request = parseAutoRestartRequest(body);
      try {
        return engine.setAutoRestart(request);
      } catch (err) {
        if (err instanceof UnknownServiceError) throw new HttpError(404, `"service": ${err.message}`);
        throw err;
      }
    },
  },
  'POST /api/services/:name/:action': {
    handle: async (engine, { params }) => ({ ok: true, services: await engine.act(params.name!, action(params.action!)) }),
  },
  'GET /api/services/:name/logs': {
    query: ['n', 'after'],
    handle: (engine, { params, query }) => ({
      service: params.name!,
      lines: engine.logs(params.name!, wholeNumberParam(query.get('n'), 'n', 200, 1000), wholeNumberParam(query.get('after'), 'after', 0)),
    }),
  },
  'GET /api/services/:name/incidents': {
    handle: (engine, { params }) => ({ service: params.name!, incidents: engine.incidents(params.name!) }),
  },
  'GET /api/tunnels': { handle: (engine) => ({ tunnels: engine.snapshot().tunnels }) },
  'POST /api/tunnels/:name/restart': {
    handle: async (engine, { params }) => {
      await engine.restartTunnel(params.name!);
      return { ok: true, tunnel: params.name! };
    },
  },
  'GET /api/fly': { handle: (engine) => ({ fly: engine.snapshot().fly }) },
  'POST /api/fly/machines/:machine/restart': {
    handle: async (engine, { params }) => {
      try {
        return { ok: true, results: await engine.restartFlyMachine(params.machine!) };
      } catch (err) {
        if (err instanceof NotFoundError) throw err;
        throw new HttpError(409, (err as Error).message); // no token, unknown machine, list not read yet
      }
    },
  },
  'GET /api/ports/:port': { handle: (engine, { params }) => engine.portHolder(portParam(params.port!)) },
  'POST /api/ports/:port/free': {
    handle: async (engine, { params }) => {
      const port = portParam(params.port!);
      try {
        return await engine.freePort(port);
      } catch (err) {
        throw new HttpError(409, (err as Error).message);
      }
    },
  },
};

/** The routes the server answers, by topic: each topic's table is typed over its part of the
 * contract, so the type refuses SERVED_ROUTES until every route has its entry. */
export type ServedRoutes = ApiRoutes & MetricsApiRoutes & ScrapeRoutes;

export const SERVED_ROUTES: RouteTable<ServedRoutes> = { ...API_ROUTES, ...METRICS_ROUTES, ...SCRAPE_ROUTES };
