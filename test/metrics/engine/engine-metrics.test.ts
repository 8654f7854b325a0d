// The metrics subsystem in a real engine: the real sampler on real service processes, a real
// history file, and the API routes in front of it.
import { statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { startFakeNgrokAgent } from '../../fixtures/fake-ngrok-agent.mjs';
import { vigilPaths } from '../../../src/core/paths.ts';
import { type RunningServer, startServer } from '../../../src/core/serve.ts';
import { readToken } from '../../../src/core/server/token.ts';
import { type MetricsQueryResult, type SeriesInfo, seriesKey } from '../../../src/shared/contract.ts';
import { DEMO_SERVICE, FIXTURE, freePort, NODE, tempDir, waitFor, writeStack } from '../../helpers/stack.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function serveStack(yaml: string, settings?: object): Promise<{ server: RunningServer; get: <T>(route: string) => Promise<{ status: number; body: T }> }> {
  const dir = tempDir();
  const home = path.join(dir, 'home');
  const paths = vigilPaths(home);
  if (settings) {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(home, { recursive: true, mode: 0o700 });
    writeFileSync(paths.settings, JSON.stringify(settings));
  }
  const server = await startServer({ files: [writeStack(dir, yaml)], port: 0, paths, print: () => {} });
  cleanups.push(() => server.stop());
  const token = readToken(paths.token)!;
  const get = async <T>(route: string) => {
    const res = await fetch(`http://127.0.0.1:${server.api.port}${route}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as T };
  };
  return { server, get };
}

/** Ticks now and then until `done` holds for a tick's values (ticks on one second's grid point
 * count once, so a few hundred ms apart). */
async function sampleUntil(server: RunningServer, done: (values: Record<string, number>) => boolean): Promise<void> {
  await waitFor('sampled', async () => done((await server.engine.metrics.sampleNow()).values), 15_000, 300);
}

test('system and service series are sampled, stored and answered by the query route', async () => {
  const port = await freePort();
  const { server, get } = await serveStack(`services:
  - name: web
    command: ["${NODE}", "${DEMO_SERVICE}", "--port", "${port}", "--name", "web"]
    port: ${port}
    health: { path: /health, interval: 200ms }
`);
  const engine = server.engine;
  await waitFor('web running', () => engine.snapshot().services[0]?.state === 'running');
  const cpu = seriesKey('service_cpu_percent', { service: 'web' });
  const rss = seriesKey('service_rss_bytes', { service: 'web' });
  // Idle sampling is every 10 s: ticks now, as the next ones would (CPU needs two, a second apart).
  await sampleUntil(server, (values) => values[cpu] !== undefined && values[rss] !== undefined && values.system_cpu_percent !== undefined);

  const { body: list } = await get<{ series: SeriesInfo[] }>('/api/metrics/series');
  const keys = list.series.map((s) => s.key);
  expect(keys).toEqual(expect.arrayContaining(['system_cpu_percent', 'system_memory_used_bytes', cpu, rss, seriesKey('service_restarts_total', { service: 'web' })]));
  expect(list.series.find((s) => s.key === 'service_restarts_total{service="web"}')).toMatchObject({ kind: 'counter', labels: { service: 'web' } });

  const { status, body } = await get<{ results: MetricsQueryResult[] }>(`/api/metrics/query?series=${encodeURIComponent(rss)}&series=system_cpu_percent&since=1h`);
  expect(status).toBe(200);
  expect(body.results.map((r) => r.series)).toEqual([rss, 'system_cpu_percent']);
  expect(body.results[0]!.tier).toBe('raw');
  const [t, avg] = body.results[0]!.points.at(-1)!;
  expect(avg).toBeGreaterThan(1024 * 1024); // a Node process: megabytes
  expect(Math.abs(t - Date.now())).toBeLessThan(60_000);

  // A bare name stands for each of its label sets.
  const bare = await get<{ results: MetricsQueryResult[] }>('/api/metrics/query?series=service_rss_bytes');
  expect(bare.body.results.map((r) => r.series)).toEqual([rss]);

  // The snapshot carries the service's usage and the history's state.
  const metrics = engine.snapshot().metrics;
  expect(metrics.history).toMatchObject({ writing: true, reason: null });
  expect(metrics.services.web!.rssBytes).toBeGreaterThan(0);
  expect(metrics.system.system_cpu_percent).toEqual(expect.any(Number));
  expect(metrics.sampling).toEqual({ intervalMs: 10_000, active: false });
  // The file is private.
  expect(statSync(server.engine.metrics.file).mode & 0o777).toBe(0o600);

  // Availability, from the stored transitions: up since it started, down while it starts.
  const before = metrics.services.web!.availability;
  expect(before.day).toBeGreaterThan(0);
  expect(before.day).toBeLessThanOrEqual(100);
  expect(before.week).toBeCloseTo(before.day!, 5);
  // A crash is a state change: the figures are worked out again at once, not after 30 s.
  const pid = engine.snapshot().services[0]!.pid!;
  process.kill(pid, 'SIGKILL');
  await waitFor('web restarted', () => {
    const s = engine.snapshot().services[0]!;
    return s.state === 'running' && s.pid !== pid;
  });
  const after = engine.snapshot().metrics.services.web!.availability;
  expect(after.day).not.toBe(before.day);
  expect(after.day).toBeLessThan(100);
});

test('malformed and unknown query parameters get a 400 naming the field, with close names for a typo', async () => {
  const { server, get } = await serveStack(`services:\n  - name: web\n    command: ["${NODE}", "${FIXTURE}"]\n`);
  await sampleUntil(server, (values) => values.system_cpu_percent !== undefined);
  const ask = (q: string) => get<{ error: string }>(`/api/metrics/query?${q}`);
  expect(await ask('series=system_cpu_percnt')).toMatchObject({ status: 400, body: { error: expect.stringMatching(/"series".*did you mean "system_cpu_percent"/) } });
  expect(await ask('')).toMatchObject({ status: 400, body: { error: expect.stringContaining('"series"') } });
  expect(await ask('series=system_cpu_percent&step=1s')).toMatchObject({ status: 400, body: { error: expect.stringContaining('"step"') } });
  expect(await ask('series=system_cpu_percent&since=2 days')).toMatchObject({ status: 400, body: { error: expect.stringContaining('"since"') } });
  expect(await ask('series=system_cpu_percent&from=5000&to=1000')).toMatchObject({ status: 400, body: { error: expect.stringContaining('"from"') } });
  expect(await ask('series=system_cpu_percent&from=1&since=1h')).toMatchObject({ status: 400, body: { error: expect.stringContaining('"since"') } });
});

test("a tunnel watcher's observations are stored as series", async () => {
  const agent = await startFakeNgrokAgent();
  cleanups.push(() => agent.close());
  agent.addTunnel({ name: 'web', publicUrl: 'https://first.ngrok.app', addr: 'http://localhost:5051' });
  const { server, get } = await serveStack(`
services:
  - name: ngrok
    command: ["${NODE}", "${FIXTURE}", "--tag", "agent"]
tunnels:
  - name: public
    kind: ngrok
    api: ${agent.url}
    expect: [web]
    service: ngrok
    interval: 100ms
`);
  await waitFor('tunnel up', () => server.engine.snapshot().tunnels.find((t) => t.state === 'up'));
  const { body } = await waitFor('a tunnel series', async () => {
    const answer = await get<{ series: SeriesInfo[] }>('/api/metrics/series');
    return answer.body.series.some((s) => s.name.startsWith('tunnel_')) && answer;
  });
  const tunnelSeries = body.series.filter((s) => s.name.startsWith('tunnel_'));
  expect(tunnelSeries[0]!.labels).toMatchObject({ tunnel: 'public', kind: 'ngrok' });
  const { body: answer } = await get<{ results: MetricsQueryResult[] }>(`/api/metrics/query?series=${encodeURIComponent(tunnelSeries[0]!.key)}`);
  expect(answer.results[0]!.points.length).toBeGreaterThan(0);
  expect(Object.keys(server.engine.metrics.latest().values)).toContain(tunnelSeries[0]!.key);
});
