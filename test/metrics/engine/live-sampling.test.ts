// Someone looking speeds sampling up; nobody looking slows it down. A real `startServer` with the
// dashboard's own browser transport (WebSocketClient) as the client, over real HTTP and WS.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { vigilPaths } from '../../../src/core/paths.ts';
import { type RunningServer, startServer } from '../../../src/core/serve.ts';
import { readToken } from '../../../src/core/server/token.ts';
import { WebSocketClient } from '../../../src/renderer/client/websocket-client.ts';
import type { LiveMessage, MetricsTick } from '../../../src/shared/contract.ts';
import { FIXTURE, NODE, tempDir, waitFor, writeStack } from '../../helpers/stack.ts';

const ACTIVE_MS = 250;
const IDLE_MS = 1000;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function start(): Promise<{ server: RunningServer; client: WebSocketClient }> {
  const dir = tempDir();
  const paths = vigilPaths(path.join(dir, 'home'));
  mkdirSync(paths.home, { recursive: true, mode: 0o700 });
  writeFileSync(paths.settings, JSON.stringify({ metrics: { sampling: { active: `${ACTIVE_MS}ms`, idle: `${IDLE_MS}ms` } } }));
  const file = writeStack(dir, `services:\n  - name: web\n    command: ["${NODE}", "${FIXTURE}"]\n`);
  const server = await startServer({ files: [file], port: 0, paths, print: () => {} });
  cleanups.push(() => server.stop());
  const base = `http://127.0.0.1:${server.api.port}`;
  const client = new WebSocketClient({
    origin: { protocol: 'http:', host: `127.0.0.1:${server.api.port}` },
    token: readToken(paths.token),
    fetch: (input, init) => fetch(new URL(String(input), base), init),
  });
  return { server, client };
}

/** Consecutive ticks' spacing: ticks are stamped on the interval's grid, so it is exact. */
function spacing(ticks: MetricsTick[]): number[] {
  return ticks.slice(1).map((tick, i) => tick.t - ticks[i]!.t);
}

test('a live client gets a metrics tick at the active rate; when it leaves, sampling goes idle', async () => {
  const { server, client } = await start();
  const metrics = server.engine.metrics;
  expect(server.engine.snapshot().metrics.sampling).toEqual({ intervalMs: IDLE_MS, active: false });

  const live: LiveMessage[] = [];
  const stop = client.subscribe((message) => live.push(message));
  await waitFor('sampling active', () => server.engine.snapshot().metrics.sampling.active);
  expect(server.engine.snapshot().metrics.sampling.intervalMs).toBe(ACTIVE_MS);
  const ticks = () => live.flatMap((m) => (m.kind === 'metrics' ? [m.tick] : []));
  await waitFor('four ticks', () => ticks().length >= 4);
  // Each on the active grid; consecutive ones one interval apart (or a whole number of them,
  // when a tick on a busy machine had to skip one).
  for (const tick of ticks()) expect(tick.t % ACTIVE_MS).toBe(0);
  for (const gap of spacing(ticks())) expect(gap % ACTIVE_MS).toBe(0);
  expect(spacing(ticks())).toContain(ACTIVE_MS);
  expect(ticks().at(-1)!.values).toHaveProperty('system_cpu_percent');
  // The state push that said so, and no state message per tick.
  const states = live.filter((m) => m.kind === 'state');
  expect(states.length).toBeLessThan(ticks().length + 2);

  // The same client's queries, over HTTP.
  const series = await client.listSeries();
  expect(series.map((s) => s.key)).toContain('system_cpu_percent');
  const [result] = await client.queryMetrics({ series: ['system_cpu_percent'], from: Date.now() - 60_000 });
  expect(result!.points.length).toBeGreaterThan(0);
  await expect(client.queryMetrics({ series: ['system_cpu_percnt'] })).rejects.toThrow(/did you mean "system_cpu_percent"/);

  stop();
  await waitFor('sampling idle', () => !server.engine.snapshot().metrics.sampling.active);
  expect(server.engine.snapshot().metrics.sampling.intervalMs).toBe(IDLE_MS);
  const idle: MetricsTick[] = [];
  const off = metrics.onTick((tick) => idle.push(tick));
  cleanups.push(off);
  await waitFor('three idle ticks', () => idle.length >= 3, 20_000);
  for (const tick of idle) expect(tick.t % IDLE_MS).toBe(0);
  for (const gap of spacing(idle)) expect(gap % IDLE_MS).toBe(0);
});

test('a scrape counts as looking for a while; a second client keeps it active when the first leaves', async () => {
  const { server } = await start();
  const metrics = server.engine.metrics;
  const first = metrics.watch('client');
  const second = metrics.watch('client');
  expect(metrics.snapshot().sampling.active).toBe(true);
  first();
  first(); // releasing twice counts once
  expect(metrics.snapshot().sampling.active).toBe(true);
  second();
  expect(metrics.snapshot().sampling.active).toBe(false);
  metrics.watch('scrape');
  expect(metrics.snapshot().sampling).toEqual({ intervalMs: ACTIVE_MS, active: true });
});
