// Who may read /metrics, over real HTTP against `vigil serve`'s server: the scrape token and
// only it (the API token does not open /metrics, the scrape token opens nothing else), the
// Host and Origin checks of the API, a token replaced or removed while the engine runs, and
// the settings.json switch (metrics.allowUnauthenticatedLoopback) that lets local scrapers in
// without a token.
import { mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { vigilPaths } from '../../src/core/paths.ts';
import { type RunningServer, startServer } from '../../src/core/serve.ts';
import { ScrapeToken } from '../../src/core/server/prometheus/scrape-token.ts';
import { PROMETHEUS_TEXT_CONTENT_TYPE } from '../../src/shared/contract.ts';
import { checkExposition, sampleValue } from '../helpers/prometheus-text.ts';
import { tempDir, writeStack } from '../helpers/stack.ts';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

const running: RunningServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.stop();
});

/** `vigil serve`'s server on a temp VIGIL_HOME, with `settings` in settings.json beforehand. */
async function serve(settings?: unknown): Promise<{ server: RunningServer; lines: string[]; apiToken: string; scrapeToken: () => string }> {
  const dir = tempDir();
  const paths = vigilPaths(path.join(dir, 'home'));
  if (settings !== undefined) {
    mkdirSync(paths.home, { recursive: true, mode: 0o700 });
    writeFileSync(paths.settings, JSON.stringify(settings), { mode: 0o600 });
  }
  const lines: string[] = [];
  const server = await startServer({ files: [writeStack(dir, 'services: []\n')], port: 0, paths, print: (line) => lines.push(line) });
  running.push(server);
  const read = (file: string) => readFileSync(file, 'utf8').trim();
  return { server, lines, apiToken: read(paths.token), scrapeToken: () => read(paths.scrapeToken) };
}

function request(server: RunningServer, method: string, route: string, headers: Record<string, string> = {}): Promise<Answer> {
  const port = server.api.port;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: route, agent: false, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('the scrape token', () => {
  test('is its own file, 0600, not the API token; it opens /metrics and nothing else, and the API token does not open /metrics', async () => {
    const { server, apiToken, scrapeToken } = await serve();
    const token = scrapeToken();
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(token).not.toBe(apiToken);
    expect(statSync(server.engine.paths.scrapeToken).mode & 0o777).toBe(0o600);

    const scraped = await request(server, 'GET', '/metrics', bearer(token));
    expect(scraped.status).toBe(200);
    expect(scraped.headers['content-type']).toBe(PROMETHEUS_TEXT_CONTENT_TYPE);
    const samples = checkExposition(scraped.text);
    expect(sampleValue(samples, 'vigil_build_info')).toBe(1);
    expect(sampleValue(samples, 'vigil_engine_process_start_time_seconds')).toBeGreaterThan(0);

    for (const headers of [{}, bearer(apiToken), bearer(`${token}x`), bearer(''), { authorization: token }, { authorization: `Basic ${token}` }]) {
      const refused = await request(server, 'GET', '/metrics', headers);
      expect(refused.status, JSON.stringify(headers)).toBe(401);
      expect(JSON.parse(refused.text).error).toContain('scrape-token');
    }
    for (const route of ['/api/state', '/health', '/api/events']) {
      expect((await request(server, 'GET', route, bearer(token))).status, route).toBe(401);
      expect((await request(server, 'GET', route, bearer(apiToken))).status, route).toBe(200);
    }
    const socket = new WebSocket(`ws://127.0.0.1:${server.api.port}/api/events`, { headers: bearer(token) });
    expect(await new Promise((resolve) => socket.on('unexpected-response', (_req, res) => resolve(res.statusCode)))).toBe(401);
  });

  test('the Host and Origin checks of the API hold for /metrics too; other methods get a 405', async () => {
    const { server, scrapeToken } = await serve();
    const auth = bearer(scrapeToken());
    const rebound = await request(server, 'GET', '/metrics', { ...auth, host: 'evil.example' });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.text).error).toContain('evil.example');
    expect((await request(server, 'GET', '/metrics', { ...auth, origin: 'http://evil.example' })).status).toBe(403);
    expect((await request(server, 'GET', '/metrics', { ...auth, host: `localhost:${server.api.port}` })).status).toBe(200);
    const post = await request(server, 'POST', '/metrics', auth);
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET');
    // Without the scrape token a POST learns nothing about the route.
    expect((await request(server, 'POST', '/metrics')).status).toBe(401);
  });

  test('a new token takes effect at once; a removed one is made anew at the next scrape; a link at its place is refused', async () => {
    const { server, scrapeToken } = await serve();
    const old = scrapeToken();
    const rotated = new ScrapeToken(server.engine.paths.scrapeToken).rotate();
    expect(rotated).not.toBe(old);
    expect((await request(server, 'GET', '/metrics', bearer(old))).status).toBe(401);
    expect((await request(server, 'GET', '/metrics', bearer(rotated))).status).toBe(200);

    rmSync(server.engine.paths.scrapeToken);
    expect((await request(server, 'GET', '/metrics', bearer(rotated))).status).toBe(401);
    const remade = scrapeToken();
    expect(remade).not.toBe(rotated);
    expect(statSync(server.engine.paths.scrapeToken).mode & 0o777).toBe(0o600);
    expect((await request(server, 'GET', '/metrics', bearer(remade))).status).toBe(200);

    rmSync(server.engine.paths.scrapeToken);
    const elsewhere = path.join(tempDir(), 'planted');
    writeFileSync(elsewhere, `${'a'.repeat(64)}\n`, { mode: 0o600 });
    symlinkSync(elsewhere, server.engine.paths.scrapeToken);
    const linked = await request(server, 'GET', '/metrics', bearer('a'.repeat(64)));
    expect(linked.status).toBe(500);
    expect(JSON.parse(linked.text).error).toContain('symbolic link');
  });
});

describe('settings.json metrics.allowUnauthenticatedLoopback', () => {
  test('on: a scrape without a token is let in; a wrong token, the API token and a foreign Host are still refused; the API still needs its token', async () => {
    const { server, apiToken, scrapeToken } = await serve({ metrics: { allowUnauthenticatedLoopback: true } });
    const open = await request(server, 'GET', '/metrics');
    expect(open.status).toBe(200);
    expect(sampleValue(checkExposition(open.text), 'vigil_build_info')).toBe(1);
    expect((await request(server, 'GET', '/metrics', bearer(scrapeToken()))).status).toBe(200);
    expect((await request(server, 'GET', '/metrics', bearer('wrong'))).status).toBe(401);
    expect((await request(server, 'GET', '/metrics', bearer(apiToken))).status).toBe(401);
    expect((await request(server, 'GET', '/metrics', { host: 'evil.example' })).status).toBe(403);
    expect((await request(server, 'GET', '/api/state')).status).toBe(401);

    // Kept when the engine writes the file (the auto-restart switch).
    server.engine.setAutoRestart({ enabled: false });
    expect(JSON.parse(readFileSync(server.engine.paths.settings, 'utf8'))).toMatchObject({ autoRestart: false, metrics: { allowUnauthenticatedLoopback: true } });
  });

  test('off by default; a wrong value stops Vigil at start, naming the file and the field', async () => {
    const plain = await serve();
    expect((await request(plain.server, 'GET', '/metrics')).status).toBe(401);
    // Alongside the other metrics settings, which keep working.
    const both = await serve({ metrics: { allowUnauthenticatedLoopback: true, sampling: { active: '2s', idle: '10s' } } });
    expect((await request(both.server, 'GET', '/metrics')).status).toBe(200);
    expect(both.server.engine.snapshot().metrics.sampling.intervalMs).toBe(2000);

    await expect(serve({ metrics: { allowUnauthenticatedLoopback: 'yes' } })).rejects.toThrow(
      /settings\.json: metrics\.allowUnauthenticatedLoopback: must be true or false .*got "yes"/,
    );
  });
});
