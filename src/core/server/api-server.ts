// The local HTTP + WebSocket API in front of the engine: loopback only, token required (the API
// token; /metrics takes the scrape token instead: see prometheus/scrape-access.ts).
import { readFile } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import type { LiveMessage } from '../../shared/contract.ts';
import { contentTypeFor, DASHBOARD_CSP } from '../../shared/dashboard-files.ts';
import type { Engine } from '../engine.ts';
import { NotFoundError } from '../not-found-error.ts';
import { UnknownServiceError } from '../supervisor/supervisor.ts';
import { SERVED_ROUTES, type ServedRoutes } from './api-routes.ts';
import { HttpError } from './http-error.ts';
import { discardBody, parseJsonBody, readBody } from './request-body.ts';
import { checkHostAndOrigin, checkRequest } from './request-guard.ts';
import { checkScrapeRequest, type ScrapeAccess } from './prometheus/scrape-access.ts';
import { accessFor, matchRoute, type RouteMatch, type RouteSpec } from './route-table.ts';

export interface ApiServerOptions {
  engine: Engine;
  token: string;
  /** Who may scrape /metrics (the scrape token; loopback without it when the user allows). */
  scrape: ScrapeAccess;
  /** 0 picks a free port (tests). */
  port: number;
  /** Folder with the built dashboard (index.html and assets); optional. */
  dashboardDir?: string;
}

const MAX_BUFFERED_TICK_BYTES = 1024 * 1024;

/** The path's parts, %-decoded; null when an escape is malformed. */
function pathSegments(pathname: string): string[] | null {
  try {
    return pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
}

function sendText(res: ServerResponse, contentType: string, text: string): void {
  res.writeHead(200, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

export class ApiServer {
  private readonly options: ApiServerOptions;
  private readonly server: http.Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  private boundPort = 0;

  constructor(options: ApiServerOptions) {
    this.options = options;
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req, socket, head) => {
      const refuse = (status: number) => socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`);
      socket.on('error', () => socket.destroy());
      try {
        const verdict = checkRequest(req, this.boundPort, options.token);
        if (!verdict.ok) return void refuse(verdict.status);
        if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== '/api/events') return void refuse(404);
        this.wss.handleUpgrade(req, socket, head, (ws) => this.live(ws));
      } catch {
        refuse(400); // a request line or header no URL parser makes sense of
      }
    });
  }

  get port(): number {
    return this.boundPort;
  }

  /** Listens on 127.0.0.1 only. Rejects with EADDRINUSE when the port is taken. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.boundPort = (this.server.address() as AddressInfo).port;
        resolve(this.boundPort);
      });
    });
  }

  close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** A live client: the state at once, then every event and state change, and a `metrics`
   * message at each sampling tick. A connected client is someone looking: sampling runs at the
   * active rate until it leaves. */
  private live(ws: import('ws').WebSocket): void {
    const engine = this.options.engine;
    const sendMessage = (message: LiveMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    sendMessage({ kind: 'state', state: engine.snapshot() });
    const offEvent = engine.events.subscribe((event) => sendMessage({ kind: 'event', event }));
    const offState = engine.onState((state) => sendMessage({ kind: 'state', state }));
    const offTick = engine.metrics.onTick((tick) => {
      // A client that does not keep up loses ticks, not memory: the next one has newer values.
      if (ws.bufferedAmount < MAX_BUFFERED_TICK_BYTES) sendMessage({ kind: 'metrics', tick });
    });
    const unwatch = engine.metrics.watch('client');
    ws.on('close', () => {
      offEvent();
      offState();
      offTick();
      unwatch();
    });
    ws.on('error', () => ws.terminate());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      const segments = pathSegments(url.pathname);
      const match = segments === null ? null : matchRoute(SERVED_ROUTES, method, segments);
      // A GET that no route takes, outside /api/, is one of the dashboard's files.
      if (method === 'GET' && (match === null || 'allow' in match) && !url.pathname.startsWith('/api/')) {
        return await this.dashboard(req, res, url);
      }
      const access = match === null || segments === null ? 'api' : accessFor(SERVED_ROUTES, match, segments);
      const verdict = access === 'scrape' ? checkScrapeRequest(req, this.boundPort, this.options.scrape) : checkRequest(req, this.boundPort, this.options.token);
      if (!verdict.ok) {
        await discardBody(req);
        return send(res, verdict.status, { error: verdict.message });
      }
      if (match === null) {
        await discardBody(req);
        throw new HttpError(400, `the path ${url.pathname.slice(0, 200)} has a malformed %-escape`);
      }
      await this.route(req, res, method, url, match);
    } catch (err) {
      if (err instanceof HttpError) return send(res, err.status, { error: err.message });
      if (err instanceof UnknownServiceError || err instanceof NotFoundError) return send(res, 404, { error: err.message });
      send(res, 500, { error: `internal error: ${(err as Error).message}` });
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse, method: string, url: URL, match: RouteMatch<keyof ServedRoutes>): Promise<void> {
    if ('allow' in match) {
      await discardBody(req);
      if (match.allow.length === 0) throw new HttpError(404, `no route ${method} ${url.pathname.slice(0, 200)}`);
      res.setHeader('allow', match.allow.join(', '));
      throw new HttpError(405, `${url.pathname.slice(0, 200)} takes ${match.allow.join(' or ')}, not ${method}`);
    }
    // Every route reads its body, bounded, even one that ignores it: an oversized body gets
    // a 413 before anything is done, never a reset.
    const route: RouteSpec<unknown> = SERVED_ROUTES[match.key];
    const raw = await readBody(req);
    const body = route.body ? parseJsonBody(raw) : undefined;
    const answer = await route.handle(this.options.engine, { params: match.params, query: url.searchParams, body });
    if (route.contentType) sendText(res, route.contentType, answer as string);
    else send(res, 200, answer);
  }

  /** The dashboard's files: the app shell, no data, so they need no token (the page then
   * calls the API with the token from the address's #fragment, which never reaches a server). */
  private async dashboard(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const place = checkHostAndOrigin(req, this.boundPort);
    if (!place.ok) return send(res, place.status, { error: place.message });
    const dir = this.options.dashboardDir;
    const relative = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    const file = dir ? path.resolve(dir, relative) : null;
    if (!dir || !file?.startsWith(path.resolve(dir) + path.sep)) return send(res, 404, { error: 'not found' });
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': contentTypeFor(file),
        'content-security-policy': DASHBOARD_CSP,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-cache',
      });
      res.end(body);
    } catch {
      send(res, 404, { error: `not found: ${url.pathname}` });
    }
  }
}
