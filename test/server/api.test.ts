// The local API: loopback, token, Host and Origin checks, and its routes, over real HTTP.
import { statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { vigilPaths } from '../../src/core/paths.ts';
import { type RunningServer, startServer } from '../../src/core/serve.ts';
import type { LiveMessage, StateSnapshot } from '../../src/shared/contract.ts';
import { FIXTURE, freePort, NODE, tempDir, waitFor, writeStack } from '../helpers/stack.ts';

let server: RunningServer;
let token: string;
let port: number;

beforeAll(async () => {
  const dir = tempDir();
  const servicePort = await freePort();
  const file = writeStack(
    dir,
    `services:\n  - name: web\n    command: ["${NODE}", "${FIXTURE}", "--port", "${servicePort}", "--say", "hello-from-web"]\n    port: ${servicePort}\n`,
  );
  server = await startServer({ files: [file], port: 0, paths: vigilPaths(path.join(dir, 'home')), print: () => {} });
  port = server.api.port;
  const { readFileSync } = await import('node:fs');
  token = readFileSync(server.engine.paths.token, 'utf8').trim();
  await waitFor('web running', () => server.engine.snapshot().services[0]?.state === 'running');
});
afterAll(async () => {
  await server?.stop();
});

/** A raw request, so that Host and Origin can be set to anything. */
function request(method: string, route: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; json: ApiBody }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: route, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, json: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
/** Whatever JSON a route answers; each test reads the fields it checks. */
// biome-ignore lint/suspicious/noExplicitAny: the tests probe many response shapes
type ApiBody = any;
const auth = () => ({ authorization: `Bearer ${token}` });

describe('who may call', () => {
  test('the token file is mode 0600 and the server listens on loopback only', () => {
    expect(statSync(server.engine.paths.token).mode & 0o777).toBe(0o600);
    expect((server.api as unknown as { server: http.Server }).server.address()).toMatchObject({ address: '127.0.0.1' });
  });

  test('no token, a wrong token: 401', async () => {
    expect((await request('GET', '/api/state')).status).toBe(401);
    expect((await request('GET', '/health')).status).toBe(401);
    expect((await request('GET', '/api/state', { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await request('GET', '/api/state', { authorization: `Bearer ${token}x` })).status).toBe(401);
  });

  test('a cookie never carries the token (browsers send cookies to every port of 127.0.0.1)', async () => {
    expect((await request('GET', '/api/state', { cookie: `vigil_session=${token}` })).status).toBe(401);
    expect((await request('GET', '/api/state', { cookie: 'vigil_session=%E0' })).status).toBe(401);
    expect((await request('GET', '/api/services/%E0/logs', auth())).status).toBe(400);
  });

  test('a foreign Host (DNS rebinding) is refused even with the token', async () => {
    const res = await request('GET', '/api/state', { ...auth(), host: 'evil.example' });
    expect(res.status).toBe(403);
    expect(res.json.error).toContain('evil.example');
    expect((await request('GET', '/api/state', { ...auth(), host: `localhost:${port}` })).status).toBe(200);
  });

  test('a foreign Origin cannot restart a service', async () => {
    const before = server.engine.snapshot().services[0]!.pid;
    const res = await request('POST', '/api/services/web/restart', { ...auth(), origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect(server.engine.snapshot().services[0]!.pid).toBe(before);
    expect((await request('GET', '/api/state', { ...auth(), origin: `http://127.0.0.1:${port}` })).status).toBe(200);
  });

  test('the WebSocket needs the token too', async () => {
    const refused = new WebSocket(`ws://127.0.0.1:${port}/api/events`);
    const error = await new Promise<string>((resolve) => refused.on('unexpected-response', (_req, res) => resolve(String(res.statusCode))));
    expect(error).toBe('401');
    const foreign = new WebSocket(`ws://127.0.0.1:${port}/api/events`, { headers: auth(), origin: 'http://evil.example' });
    expect(await new Promise<string>((resolve) => foreign.on('unexpected-response', (_req, res) => resolve(String(res.statusCode))))).toBe('403');
  });
});

describe('routes', () => {
  test('GET /api/state and /health', async () => {
    const state = (await request('GET', '/api/state', auth())).json as StateSnapshot;
    expect(state.services[0]).toMatchObject({ name: 'web', state: 'running', restarts: 0 });
    expect((await request('GET', '/health', auth())).json).toMatchObject({ ok: true, pid: process.pid });
  });

  test('POST restart, and the live WebSocket reports it', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events`, { headers: auth() });
    const messages: LiveMessage[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data))));
    await waitFor('first state message', () => messages.find((m) => m.kind === 'state'));
    const before = server.engine.snapshot().services[0]!.pid;
    const res = await request('POST', '/api/services/web/restart', auth());
    expect(res).toMatchObject({ status: 200, json: { ok: true, services: ['web'] } });
    await waitFor('a running event on the socket', () =>
      messages.find((m) => m.kind === 'event' && m.event.service === 'web' && m.event.to === 'running'),
    );
    expect(server.engine.snapshot().services[0]!.pid).not.toBe(before);
    ws.close();
  });

  test('PUT /api/auto-restart validates its body', async () => {
    const bad = await request('PUT', '/api/auto-restart', { ...auth(), 'content-type': 'application/json' }, '{"enabled":"yes"}');
    expect(bad.status).toBe(400);
    expect(bad.json.error).toContain('enabled');
    const notJson = await request('PUT', '/api/auto-restart', auth(), '{enabled');
    expect(notJson.status).toBe(400);
    expect(notJson.json.error).toContain('the request body is not valid JSON');
    const unknown = await request('PUT', '/api/auto-restart', auth(), '{"enabled":false,"service":"nope"}');
    expect(unknown.status).toBe(404);
    const ok = await request('PUT', '/api/auto-restart', auth(), '{"enabled":false,"service":"web"}');
    expect(ok.json.services[0]).toMatchObject({ autoRestart: false, autoRestartOverride: false });
    await request('PUT', '/api/auto-restart', auth(), '{"enabled":null,"service":"web"}');
  });

  test('logs, events, unknown services and bad parameters', async () => {
    const logs = await request('GET', '/api/services/web/logs?n=50', auth());
    expect(logs.json.lines.map((l: { text: string }) => l.text)).toContain('hello-from-web');
    const events = await request('GET', '/api/events?since=0&limit=3', auth());
    expect(events.json.events.length).toBeLessThanOrEqual(3);
    expect((await request('POST', '/api/services/nope/restart', auth())).json.error).toContain('no service named "nope"');
    expect((await request('GET', '/api/services/web/logs?n=-1', auth())).status).toBe(400);
    expect((await request('GET', '/api/ports/99999', auth())).status).toBe(400);
    expect((await request('DELETE', '/api/state', auth())).json).toEqual({ error: '/api/state takes GET, not DELETE' });
    expect((await request('GET', '/api/nothing', auth())).status).toBe(404);
  });
});
