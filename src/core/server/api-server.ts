// The local HTTP + WebSocket API in front of the engine: loopback only, token required.
import { readFile } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import type { LiveMessage } from '../../shared/contract.ts';
import type { Engine } from '../engine.ts';
import { NotFoundError } from '../not-found-error.ts';
import { UnknownServiceError } from '../supervisor/supervisor.ts';
import { VERSION } from '../version.ts';
import { checkHostAndOrigin, checkRequest } from './request-guard.ts';
import { parseAutoRestartRequest } from './request-bodies.ts';

export interface ApiServerOptions {
  engine: Engine;
  token: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Folder with the built dashboard (index.html and assets); optional. */
  dashboardDir?: string;
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const MAX_BODY_BYTES = 64 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The dashboard runs with no inline script and talks only to this server. */
const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

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

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) throw new HttpError(400, 'expected a JSON body');
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'the request body is not valid JSON');
  }
}

function intParam(value: string | null, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === null) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new HttpError(400, `"${name}" must be a whole number >= 0, got "${value}"`);
  return Math.min(n, max);
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

  private live(ws: import('ws').WebSocket): void {
    const sendMessage = (message: LiveMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    sendMessage({ kind: 'state', state: this.options.engine.snapshot() });
    const offEvent = this.options.engine.events.subscribe((event) => sendMessage({ kind: 'event', event }));
    const offState = this.options.engine.onState((state) => sendMessage({ kind: 'state', state }));
    ws.on('close', () => {
      offEvent();
      offState();
    });
    ws.on('error', () => ws.terminate());
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method === 'GET' && !url.pathname.startsWith('/api/') && url.pathname !== '/health') {
        return await this.dashboard(req, res, url);
      }
      const verdict = checkRequest(req, this.boundPort, this.options.token);
      if (!verdict.ok) return send(res, verdict.status, { error: verdict.message });
      await this.route(req, res, url);
    } catch (err) {
      if (err instanceof HttpError) return send(res, err.status, { error: err.message });
      if (err instanceof UnknownServiceError || err instanceof NotFoundError) return send(res, 404, { error: err.message });
      send(res, 500, { error: `internal error: ${(err as Error).message}` });
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const engine = this.options.engine;
    const method = req.method ?? 'GET';
    let parts: string[];
    try {
      parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      throw new HttpError(400, `the path ${url.pathname} has a malformed %-escape`);
    }
    const q = url.searchParams;

    if (method === 'GET' && url.pathname === '/health') {
      return send(res, 200, { ok: true, version: VERSION, pid: process.pid, uptimeMs: Math.round(process.uptime() * 1000) });
    }
    if (method === 'GET' && url.pathname === '/api/state') return send(res, 200, engine.snapshot());
    if (method === 'GET' && url.pathname === '/api/events') {
      return send(res, 200, { events: engine.events.list(intParam(q.get('since'), 'since', 0), intParam(q.get('limit'), 'limit', 1000, 5000)) });
    }
    if (method === 'PUT' && url.pathname === '/api/auto-restart') {
      const body = parseAutoRestartRequest(await readJsonBody(req));
      if ('error' in body) throw new HttpError(400, body.error);
      return send(res, 200, engine.setAutoRestart(body));
    }
    if (parts[0] === 'api' && parts[1] === 'services' && parts[2] !== undefined && parts.length === 4) {
      const [, , name, verb] = parts as [string, string, string, string];
      if (method === 'POST' && (verb === 'start' || verb === 'stop' || verb === 'restart')) {
        const services = await engine.act(name, verb);
        return send(res, 200, { ok: true, services });
      }
      if (method === 'GET' && verb === 'logs') {
        return send(res, 200, { service: name, lines: engine.logs(name, intParam(q.get('n'), 'n', 200, 1000), intParam(q.get('after'), 'after', 0)) });
      }
      if (method === 'GET' && verb === 'incidents') return send(res, 200, { service: name, incidents: engine.incidents(name) });
    }
    if (method === 'GET' && url.pathname === '/api/tunnels') return send(res, 200, { tunnels: engine.snapshot().tunnels });
    if (method === 'POST' && parts[0] === 'api' && parts[1] === 'tunnels' && parts[2] !== undefined && parts[3] === 'restart' && parts.length === 4) {
      await engine.restartTunnel(parts[2]);
      return send(res, 200, { ok: true, tunnel: parts[2] });
    }
    if (method === 'GET' && url.pathname === '/api/fly') return send(res, 200, { fly: engine.snapshot().fly });
    if (method === 'POST' && parts[0] === 'api' && parts[1] === 'fly' && parts[2] === 'machines' && parts[3] !== undefined && parts[4] === 'restart' && parts.length === 5) {
      try {
        return send(res, 200, { ok: true, results: await engine.restartFlyMachine(parts[3]) });
      } catch (err) {
        if (err instanceof NotFoundError) throw err;
        throw new HttpError(409, (err as Error).message); // no token, unknown machine, list not read yet
      }
    }
    if (parts[0] === 'api' && parts[1] === 'ports' && parts[2] !== undefined) {
      const port = Number(parts[2]);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new HttpError(400, `"${parts[2]}" is not a port number (1-65535)`);
      if (method === 'GET' && parts.length === 3) return send(res, 200, await engine.portHolder(port));
      if (method === 'POST' && parts[3] === 'free' && parts.length === 4) {
        try {
          return send(res, 200, await engine.freePort(port));
        } catch (err) {
          throw new HttpError(409, (err as Error).message);
        }
      }
    }
    send(res, 404, { error: `no route ${method} ${url.pathname}` });
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
        'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
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
