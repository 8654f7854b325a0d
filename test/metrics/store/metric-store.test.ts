import { statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, test } from 'vitest';
import { MetricStore, type MetricStoreOptions } from '../../../src/core/metrics/store/metric-store.ts';
import type { MetricPoint } from '../../../src/shared/metrics.ts';
import { manualClock } from '../../helpers/manual-clock.ts';
import { HOUR, historyFile, MINUTE, SECOND, seeded, T0 } from './store-files.ts';

/** A store on a fresh file whose clock the test moves. */
function storeAt(file = historyFile(), options: MetricStoreOptions = {}) {
  const clock = { now: T0 };
  const store = MetricStore.open(file, { now: () => clock.now, commitEveryMs: 0, ...options });
  return { store, clock, file };
}

const CPU = 'system_cpu_percent';
const RSS = 'service_rss_bytes{service="api"}';

/** Samples every `every` ms from `from` for `count` ticks, values from a seeded walk. */
function samples(from: number, count: number, every: number, seed: number, round = (v: number) => Math.round(v * 100) / 100) {
  const random = seeded(seed);
  let level = 30;
  return Array.from({ length: count }, (_, i) => {
    level = Math.min(100, Math.max(0, level + (random() - 0.5) * 6));
    return { t: from + i * every, v: level + random() * 0.004, rounded: 0 }; // beyond 0.01 precision on purpose
  }).map((s) => ({ ...s, rounded: round(s.v) }));
}

/** What the rollups must hold: min/max/avg/count of the rounded samples per bucket. */
function expectedBuckets(list: { t: number; rounded: number }[], step: number): MetricPoint[] {
  const buckets = new Map<number, number[]>();
  for (const s of list) {
    const b = Math.floor(s.t / step) * step;
    buckets.set(b, [...(buckets.get(b) ?? []), s.rounded]);
  }
  return [...buckets].map(([t, vs]) => [t, vs.reduce((a, b) => a + b, 0) / vs.length, Math.min(...vs), Math.max(...vs)]);
}

const close = (actual: MetricPoint[], expected: MetricPoint[]) => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((p, i) => {
    const e = expected[i]!;
    expect([p[0], p[2], p[3]]).toEqual([e[0], e[2], e[3]]);
    expect(p[1]).toBeCloseTo(e[1], 9);
  });
};

describe('metric store', () => {
  test('samples come back exactly as kept (rounded to the series precision), before and after a reopen', () => {
    const { store, clock, file } = storeAt();
    const list = samples(T0, 2 * 3600, SECOND, 1);
    for (const [i, s] of list.entries()) {
      clock.now = s.t;
      store.append(CPU, s.t, s.v);
      if (i % 5 === 4) expect(store.commit()).toBe(true);
    }
    const lastHour = { series: CPU, from: clock.now - HOUR, to: clock.now, step: SECOND };
    const expected = list.filter((s) => s.t >= lastHour.from).map((s): MetricPoint => [s.t, s.rounded, s.rounded, s.rounded]);
    const before = store.query(lastHour);
    expect(before).toMatchObject({ tier: 'raw', step: SECOND });
    expect(before.points).toEqual(expected);
    store.close();

    const again = MetricStore.open(file, { now: () => clock.now, commitEveryMs: 0 });
    expect(again.query(lastHour).points).toEqual(expected);
    expect(again.latest(CPU)).toEqual({ t: list.at(-1)!.t, value: list.at(-1)!.rounded });
    again.close();
  });

  test('minute and hour rollups hold min, max, avg and count of the raw samples, across a reopen mid-minute', () => {
    const file = historyFile();
    const list = samples(T0 + 17 * SECOND, 3 * 3600, SECOND, 2);
    let { store, clock } = storeAt(file);
    for (const [i, s] of list.entries()) {
      clock.now = s.t;
      store.append(CPU, s.t, s.v);
      if (i === 5000) {
        // Close in the middle of a minute and of an hour: the open buckets must carry on.
        store.close();
        ({ store, clock } = storeAt(file));
        clock.now = s.t;
      }
    }
    const range = { series: CPU, from: T0, to: clock.now };
    close(store.query({ ...range, step: MINUTE }).points, expectedBuckets(list, MINUTE));
    close(store.query({ ...range, step: HOUR }).points, expectedBuckets(list, HOUR));
    close(store.query({ ...range, step: 5 * MINUTE }).points, expectedBuckets(list, 5 * MINUTE));
    expect(store.query({ ...range, step: HOUR })).toMatchObject({ tier: 'hour', step: HOUR });
    store.commit();
    store.close();
    ({ store } = storeAt(file));
    close(store.query({ ...range, step: MINUTE }).points, expectedBuckets(list, MINUTE));
    store.close();
  });

  test('when the sampling rate drops, every minute that had a sample still has its bucket', () => {
    const { store, clock } = storeAt();
    const fast = samples(T0, 600, SECOND, 3);
    const slow = samples(T0 + 600 * SECOND, 40, 45 * SECOND, 4);
    for (const s of [...fast, ...slow]) {
      clock.now = s.t;
      store.append(CPU, s.t, s.v);
    }
    const points = store.query({ series: CPU, from: T0, to: clock.now, step: MINUTE }).points;
    close(points, expectedBuckets([...fast, ...slow], MINUTE));
    expect(points.length).toBe(10 + 30); // 40 slow samples 45 s apart touch 30 minutes
    store.close();
  });

  test('bytes are kept exactly; counters and unknown names without rounding', () => {
    const { store } = storeAt();
    store.append(RSS, T0, 104_857_601.4);
    store.append('process_cpu_seconds_total{service="api"}', T0, 12.3456789);
    store.append('scraped_thing', T0, 1 / 3);
    const value = (series: string) => store.query({ series, from: T0, to: T0, step: 0 }).points[0]![1];
    expect(value(RSS)).toBe(104_857_601);
    expect(value('process_cpu_seconds_total{service="api"}')).toBe(12.3456789);
    expect(value('scraped_thing')).toBe(1 / 3);
    store.close();
  });

  test('samples not newer than the last one, and values that are not numbers, are dropped and counted', () => {
    const { store } = storeAt();
    expect(store.append(CPU, T0, 1)).toBe(true);
    expect(store.append(CPU, T0, 2)).toBe(false);
    expect(store.append(CPU, T0 - 1, 3)).toBe(false);
    expect(store.append(CPU, T0 + 1, Number.NaN)).toBe(false);
    expect(store.append(CPU, T0 + 2, Number.POSITIVE_INFINITY)).toBe(false);
    expect(store.append(CPU, T0 + 3, 4)).toBe(true);
    expect(store.dropped.rejected).toBe(4);
    expect(store.query({ series: CPU, from: T0, to: T0 + 10, step: 0 }).points.map((p) => p[1])).toEqual([1, 4]);
    expect(() => store.append('', T0, 1)).toThrow(/non-empty string/);
    expect(() => store.append('x{a=1}', T0, 1)).toThrow(/expected name="value"/);
    expect(() => store.append('new_series', Number.NaN, 1)).toThrow(/not ms since the epoch/);
    expect(() => store.query({ series: CPU, from: T0 + 5, to: T0, step: 0 })).toThrow(/from <= to/);
    store.close();
  });

  test('the history file is private to the user (mode 0600)', () => {
    const { store, file } = storeAt();
    store.append(CPU, T0, 1);
    store.commit();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
    store.close();
  });

  test('series() names every series with its labels, kind and time span; latest() its newest sample', () => {
    const { store, clock } = storeAt();
    for (let i = 0; i < 400; i++) {
      clock.now = T0 + i * SECOND;
      store.append(CPU, clock.now, i % 7);
      store.append('service_restarts_total{service="api"}', clock.now, Math.floor(i / 100));
    }
    store.append('service_threads{service="api"}', clock.now, 12, 'gauge');
    expect(store.series()).toEqual([
      { key: CPU, name: CPU, labels: {}, kind: 'gauge', firstAt: T0, lastAt: clock.now },
      { key: 'service_restarts_total{service="api"}', name: 'service_restarts_total', labels: { service: 'api' }, kind: 'counter', firstAt: T0, lastAt: clock.now },
      { key: 'service_threads{service="api"}', name: 'service_threads', labels: { service: 'api' }, kind: 'gauge', firstAt: clock.now, lastAt: clock.now },
    ]);
    expect(store.latest('service_restarts_total{service="api"}')).toEqual({ t: clock.now, value: 3 });
    expect(store.latest('nothing')).toBeNull();
    store.close();
  });

  test('retention deletes what a tier no longer keeps, a bounded slice per call, and forgets empty series', () => {
    const retention = { raw: HOUR, minute: 2 * HOUR, hour: 3 * HOUR, events: HOUR };
    const { store, clock, file } = storeAt(historyFile(), { retention, chunkSizes: { raw: 10, minute: 5, hour: 2 }, retentionSlice: 20 });
    for (let i = 0; i < 4 * 3600; i += 5) {
      clock.now = T0 + i * SECOND;
      store.append(CPU, clock.now, i % 100);
      if (i < 7200) store.append(RSS, clock.now, 4096 * i); // a series that stops after 2 hours
    }
    store.appendEvent({ id: 1, type: 'config.applied', time: new Date(T0).toISOString(), service: null, message: 'loaded' });
    store.commit();
    const count = (table: string) => (new DatabaseSync(file, { readOnly: true }).prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    const rawBefore = count('chunks_raw');

    const first = store.enforceRetention();
    expect(first).toEqual({ deleted: expect.any(Number), done: false });
    expect(rawBefore - count('chunks_raw')).toBe(20); // one slice of the raw tier, no more
    let passes = 1;
    while (!store.enforceRetention().done) passes++;
    expect(passes).toBeGreaterThan(3);

    // Nothing older than each tier's retention is left, and recent data is all there.
    const oldest = (table: string) => (new DatabaseSync(file, { readOnly: true }).prepare(`SELECT MIN(end) AS t FROM ${table}`).get() as { t: number }).t;
    expect(oldest('chunks_raw')).toBeGreaterThanOrEqual(clock.now - HOUR);
    expect(oldest('chunks_minute')).toBeGreaterThanOrEqual(clock.now - 2 * HOUR);
    expect(store.query({ series: CPU, from: clock.now - 30 * MINUTE, to: clock.now, step: 0 }).points.length).toBe(360 + 1);
    expect(store.events().events).toEqual([]);

    // The series that stopped at T0 + 2 h has nothing left once the hour tier lets go of it.
    expect(store.series().map((s) => s.key)).toContain(RSS);
    clock.now = T0 + 2 * HOUR + 3 * HOUR + 1;
    while (!store.enforceRetention().done);
    expect(store.series().map((s) => s.key)).toEqual([CPU]);
    store.close();
  });

  test('series sampled at the same ticks share one stored copy of their timestamps', () => {
    const { store, file } = storeAt(historyFile(), { chunkSizes: { raw: 100, minute: 60, hour: 60 } });
    const random = seeded(5);
    const ticks = Array.from({ length: 1000 }, (_, i) => T0 + i * SECOND + Math.floor(random() * 20)); // a late timer
    const others = ticks.map((t) => t + 300);
    for (let i = 0; i < ticks.length; i++) {
      for (const key of ['system_load1', 'system_load5', 'system_load15']) store.append(key, ticks[i]!, i % 13);
      store.append(CPU, others[i]!, i % 7); // another sampler, its own ticks
    }
    store.commit();
    const db = new DatabaseSync(file, { readOnly: true });
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    expect(count('SELECT COUNT(*) AS n FROM chunks_raw')).toBe(4 * 9); // the 10th hundred is still open
    expect(count('SELECT COUNT(*) AS n FROM times')).toBe(2 * 9);
    db.close();
    const times = (series: string) => store.query({ series, from: T0, to: T0 + HOUR, step: 0 }).points.map((p) => p[0]);
    expect(times('system_load5')).toEqual(ticks);
    expect(times(CPU)).toEqual(others);
    store.close();
  });

  test('between head checkpoints, commits go to the commit log, and a reopen replays it onto the heads', () => {
    const file = historyFile();
    const { store, clock } = storeAt(file, { checkpointEvery: 5000 });
    const list = samples(T0, 5000, SECOND, 9);
    for (const [i, s] of list.entries()) {
      clock.now = s.t;
      store.append(CPU, s.t, s.v);
      store.append(RSS, s.t, i * 4096);
      if (i % 5 === 4) store.commit();
    }
    const db = new DatabaseSync(file, { readOnly: true });
    expect((db.prepare('SELECT COUNT(*) AS n FROM commit_log').get() as { n: number }).n).toBe(1000);
    expect((db.prepare('SELECT COUNT(*) AS n FROM heads').get() as { n: number }).n).toBe(0); // never checkpointed
    db.close();
    // Open it again while the first store still has it open, as after a crash (nothing closed).
    const again = MetricStore.open(file, { now: () => clock.now, commitEveryMs: 0 });
    for (const step of [0, MINUTE, HOUR]) {
      for (const series of [CPU, RSS]) {
        const q = { series, from: T0, to: clock.now, step };
        expect(again.query(q)).toEqual(store.query(q));
      }
    }
    expect(again.latest(CPU)).toEqual(store.latest(CPU));
    again.close(); // a checkpoint: the heads written, the log emptied
    const after = new DatabaseSync(file, { readOnly: true });
    expect((after.prepare('SELECT COUNT(*) AS n FROM commit_log').get() as { n: number }).n).toBe(0);
    after.close();
    const third = MetricStore.open(file, { now: () => clock.now, commitEveryMs: 0 });
    expect(third.query({ series: CPU, from: T0, to: clock.now, step: MINUTE })).toEqual(store.query({ series: CPU, from: T0, to: clock.now, step: MINUTE }));
    third.close();
    store.close();
  });

  test('a damaged head row costs that series its newest samples, not the file', () => {
    const { store, clock, file } = storeAt();
    for (let i = 0; i < 1000; i++) {
      clock.now = T0 + i * SECOND;
      store.append(CPU, clock.now, i % 50);
      store.append(RSS, clock.now, i * 4096);
    }
    store.close();
    const db = new DatabaseSync(file);
    db.prepare('UPDATE heads SET data = ? WHERE tier = 0 AND series = 1').run(Uint8Array.from([0, 0, 0, 9, 1]));
    db.close();

    const again = MetricStore.open(file, { now: () => clock.now, commitEveryMs: 0 });
    expect(again.warnings).toEqual([expect.stringMatching(/^history of system_cpu_percent: its newest samples \(raw head\) could not be read and are skipped: corrupt head record/)]);
    const cpu = again.query({ series: CPU, from: T0, to: clock.now, step: 0 }).points;
    expect(cpu.length).toBe(960); // the 2 closed chunks of 480; the head's 40 are gone
    expect(again.query({ series: RSS, from: T0, to: clock.now, step: 0 }).points.length).toBe(1000);
    again.append(CPU, clock.now + SECOND, 1); // and it goes on
    expect(again.commit()).toBe(true);
    again.close();
  });

  test("on the engine's clock, the store commits by itself every 5 s", () => {
    const clock = manualClock(T0);
    const file = historyFile();
    const store = MetricStore.open(file, { now: clock.now, timer: clock });
    store.append(CPU, T0, 42);
    const stored = () => (new DatabaseSync(file, { readOnly: true }).prepare('SELECT COUNT(*) AS n FROM commit_log').get() as { n: number }).n;
    clock.advance(4999);
    expect(stored()).toBe(0);
    clock.advance(1);
    expect(stored()).toBe(1);
    expect(clock.pending).toBe(1); // and the next commit is scheduled
    store.close();
    expect(clock.pending).toBe(0);
  });
});
