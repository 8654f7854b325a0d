// A full history file, through the whole engine: the snapshot says history is paused and why,
// the services are still supervised (a crash is still repaired), and once there is room again
// writing resumes by itself. The file is filled for real: the engine's own observations against
// its size cap (SQLite's max_page_count, the "maxHistorySize" setting).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { Engine } from '../../../src/core/engine.ts';
import { vigilPaths } from '../../../src/core/paths.ts';
import { FIXTURE, freePort, NODE, tempDir, waitFor, writeStack } from '../../helpers/stack.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

test('disk full: history pauses with the reason, supervision goes on, writing resumes by itself', async () => {
  const dir = tempDir();
  const paths = vigilPaths(path.join(dir, 'home'));
  mkdirSync(paths.home, { recursive: true, mode: 0o700 });
  writeFileSync(paths.settings, JSON.stringify({ metrics: { maxHistorySize: '256kb' } }));
  const port = await freePort();
  const file = writeStack(dir, `services:\n  - name: web\n    command: ["${NODE}", "${FIXTURE}", "--port", "${port}"]\n    port: ${port}\n`);
  const engine = new Engine({ files: [file], paths, watch: false, warn: () => {} });
  cleanups.push(() => engine.shutdown());
  await engine.start();
  const web = await waitFor('web running', () => {
    const s = engine.snapshot().services[0];
    return s?.state === 'running' && s;
  });
  expect(engine.snapshot().metrics.history.writing).toBe(true);

  // Noise the engine stores like any watcher's observation, until the cap stops the writes.
  let round = 0;
  while (engine.metrics.historyStatus().writing) {
    for (let i = 0; i < 500; i++) engine.metrics.observe('test_noise', Math.random(), { n: `${round}-${i}` });
    engine.metrics.commitNow();
    if (++round > 1000) throw new Error('the size cap never stopped the writes');
  }
  const paused = await waitFor('paused in the snapshot', () => {
    const history = engine.snapshot().metrics.history;
    return !history.writing && history;
  });
  expect(paused.reason).toMatch(/^history paused: the disk is full, or the history size limit is reached \(SQLITE_FULL\); \d+ samples and \d+ events wait in memory/);
  expect(paused.since).toEqual(expect.any(String));
  const pausedEvents = await waitFor('history.paused event', () => {
    const found = engine.events.list().filter((e) => e.type === 'history.paused');
    return found.length > 0 && found;
  });
  expect(pausedEvents).toHaveLength(1);
  expect(pausedEvents[0]!.message).toContain('Supervision and alerts go on');

  // Supervision goes on: a crash is still noticed and repaired.
  process.kill(web.pid!, 'SIGKILL');
  await waitFor('web restarted', () => {
    const s = engine.snapshot().services[0];
    return s?.state === 'running' && s.pid !== web.pid && s;
  });
  // A failed commit does not say so twice.
  engine.metrics.commitNow();
  expect(engine.events.list().filter((e) => e.type === 'history.paused')).toHaveLength(1);

  // Room again (as when the user frees disk space): the store's own next commit (every 5 s)
  // writes what waited, with nobody asking.
  engine.metrics.setHistoryLimit(null);
  await waitFor('writing again', () => engine.snapshot().metrics.history.writing, 20_000);
  expect(engine.snapshot().metrics.history).toMatchObject({ writing: true, reason: null, since: null });
  await waitFor('history.resumed event', () => engine.events.list().some((e) => e.type === 'history.resumed'));
  // What happened while paused was kept: the crash's transitions and the pause itself.
  const stored = engine.metrics.events({ limit: 10_000 }).events.map((e) => e.event.type);
  expect(stored).toEqual(expect.arrayContaining(['history.paused', 'service.exit', 'service.state']));
});
