// History survives a restart of Vigil: real `vigil serve` processes on one VIGIL_HOME, stopped
// with Ctrl-C (SIGINT) and started again. And `vigil metrics` against them.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import type { EngineEvent, MetricsQueryResult, SeriesInfo, StateSnapshot } from '../../../src/shared/contract.ts';
import { EngineClient } from '../../../src/cli/engine-client.ts';
import { readToken } from '../../../src/core/server/token.ts';
import { vigilPaths } from '../../../src/core/paths.ts';
import { FIXTURE, freePort, NODE, tempDir, waitFor, writeStack } from '../../helpers/stack.ts';
import { serve, vigil } from '../../helpers/vigil-serve.ts';

async function webRunning(client: EngineClient): Promise<void> {
  await waitFor('web running', async () => (await client.get<StateSnapshot>('/api/state')).services[0]?.state === 'running');
}

function api(home: string, port: number): EngineClient {
  const paths = vigilPaths(home);
  return new EngineClient({ port, token: readToken(paths.token) ?? '', home: paths.home });
}

async function stop(child: import('node:child_process').ChildProcess): Promise<void> {
  child.kill('SIGINT');
  await new Promise((r) => child.once('exit', r));
}

type EventsAnswer = { events: EngineEvent[]; before: number | null };

test('samples and events from before a restart of Vigil are still there after it; event ids go on', async () => {
  const home = tempDir();
  mkdirSync(home, { recursive: true, mode: 0o700 });
  // Sampling every second even with nobody looking, so a few seconds give a few samples.
  writeFileSync(vigilPaths(home).settings, JSON.stringify({ metrics: { sampling: { active: '500ms', idle: '1s' } } }));
  const [port, apiPort] = [await freePort(), await freePort()];
  const file = writeStack(home, `services:\n  - name: web\n    command: ["${NODE}", "${FIXTURE}", "--port", "${port}"]\n    port: ${port}\n`);

  const first = await serve(home, file, apiPort);
  let client = api(home, apiPort);
  await webRunning(client);
  await waitFor('a few samples', async () => {
    const [result] = await client.queryMetrics(['system_memory_used_bytes'], { since: '1h' }).catch(() => [] as MetricsQueryResult[]);
    return (result?.points.length ?? 0) >= 3;
  });
  const before = (await client.queryMetrics(['system_memory_used_bytes'], { since: '1h' }))[0]!.points;
  const firstEvents = (await client.get<EventsAnswer>('/api/events')).events;
  expect(firstEvents.some((e) => e.type === 'config.applied')).toBe(true);
  await stop(first);
  const stoppedAt = Date.now();

  await serve(home, file, apiPort);
  client = api(home, apiPort);
  await webRunning(client);
  // The samples of the first run are answered by the second.
  const after = (await client.queryMetrics(['system_memory_used_bytes'], { since: '1h' }))[0]!.points;
  const earlier = after.filter(([t]) => t < stoppedAt);
  expect(earlier.map(([t]) => t)).toEqual(expect.arrayContaining(before.map(([t]) => t)));

  // Event ids go on from the first run's; paging back with `before` crosses the restart.
  const newest = (await client.get<EventsAnswer>('/api/events?limit=2')).events;
  const lastOfFirst = firstEvents.at(-1)!.id;
  expect(newest[0]!.id).toBeGreaterThan(lastOfFirst);
  const all: EngineEvent[] = [];
  let page = await client.get<EventsAnswer>('/api/events?limit=3');
  all.unshift(...page.events);
  while (page.before !== null) {
    page = await client.get<EventsAnswer>(`/api/events?limit=3&before=${page.before}`);
    all.unshift(...page.events);
  }
  const ids = all.map((e) => e.id);
  expect(ids).toEqual([...ids].sort((a, b) => a - b));
  expect(new Set(ids).size).toBe(ids.length);
  for (const e of firstEvents) expect(all.find((x) => x.id === e.id)).toMatchObject({ type: e.type, message: e.message });
  // The first run's services stopping on Ctrl-C were kept too.
  expect(all.some((e) => e.id > lastOfFirst && e.service === 'web' && e.type === 'service.state' && e.to === 'stopped')).toBe(true);
  // `since` still means "after this id" across the restart.
  const since = (await client.get<EventsAnswer>(`/api/events?since=${lastOfFirst}`)).events;
  expect(since.every((e) => e.id > lastOfFirst)).toBe(true);
  expect(since.length).toBeGreaterThan(0);

  // `vigil metrics`: the list, one series' summary, every point as JSON, and clear mistakes.
  const list = await vigil(home, ['metrics']);
  expect(list.code).toBe(0);
  expect(list.stdout).toMatch(/^SERIES\s+KIND\s+FIRST\s+LAST$/m);
  expect(list.stdout).toMatch(/^system_memory_used_bytes\s+gauge\s+\S+ ago\s+\S+ ago$/m);
  expect(list.stdout).toContain('service_rss_bytes{service="web"}');

  const summary = await vigil(home, ['metrics', 'system_memory_used_bytes', '--since', '15m']);
  expect(summary.code).toBe(0);
  expect(summary.stdout).toMatch(/^system_memory_used_bytes\n {2}min [\d.]+ [KMG]iB {2}avg [\d.]+ [KMG]iB {2}max [\d.]+ [KMG]iB {2}last [\d.]+ [KMG]iB\n {2}[▁▂▃▄▅▆▇█]+ {2}\(\d+ points, last 15m, raw tier, [^)]+\)$/m);

  const bare = await vigil(home, ['metrics', 'service_rss_bytes', '--since', '1h', '--step', '1m']);
  expect(bare.code).toBe(0);
  expect(bare.stdout).toContain('service_rss_bytes{service="web"}');
  expect(bare.stdout).toMatch(/minute tier, 1m steps/);

  const json = await vigil(home, ['metrics', 'system_memory_used_bytes', '--json']);
  const results = JSON.parse(json.stdout) as MetricsQueryResult[];
  expect(results[0]!.points.length).toBeGreaterThanOrEqual(after.length);
  expect(results[0]!.points[0]).toHaveLength(4);

  const listJson = JSON.parse((await vigil(home, ['metrics', '--json'])).stdout) as SeriesInfo[];
  expect(listJson.map((s) => s.key)).toContain('system_memory_used_bytes');

  const typo = await vigil(home, ['metrics', 'system_memory_used_byte']);
  expect(typo.code).toBe(1);
  expect(typo.stderr).toContain('did you mean "system_memory_used_bytes"');

  const badSince = await vigil(home, ['metrics', 'system_memory_used_bytes', '--since', 'yesterday']);
  expect(badSince.code).toBe(1);
  expect(badSince.stderr).toContain('--since takes a duration such as 15m, 1h, 24h or 7d, got "yesterday"');
  const badStep = await vigil(home, ['metrics', 'system_memory_used_bytes', '--step', '1.5m']);
  expect(badStep.code).toBe(1);
  expect(badStep.stderr).toContain('--step takes a duration');

  // `vigil events` keeps working, and shows the first run's events too.
  const events = await vigil(home, ['events', '-n', '500']);
  expect(events.code).toBe(0);
  expect(events.stdout.match(/config\.applied/g)?.length).toBeGreaterThanOrEqual(2);
});
