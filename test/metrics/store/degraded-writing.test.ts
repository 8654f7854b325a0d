// History that cannot be written (disk full, file locked) pauses, keeps samples in memory,
// and resumes by itself. Both provoked for real: SQLite's own size limit, another process's lock.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { MetricStore, type MetricStoreOptions } from '../../../src/core/metrics/store/metric-store.ts';
import { manualClock } from '../../helpers/manual-clock.ts';
import { HOUR, historyFile, MINUTE, SECOND, seeded, T0 } from './store-files.ts';

const LOCK_HOLDER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/sqlite-lock-holder.mjs');
const NOISE = 'scraped_noise'; // exact series of random doubles: ~8 bytes a sample, fills a file fast

/** A store on a manual clock: its own commits run when the test moves the clock 5 s on. */
function storeWithTimer(file: string, options: MetricStoreOptions = {}) {
  const clock = manualClock(T0);
  const store = MetricStore.open(file, { now: clock.now, timer: clock, commitEveryMs: 5000, ...options });
  return { store, clock, tick: () => clock.advance(5000) };
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function holdLock(file: string): Promise<{ release: () => Promise<void> }> {
  const child = spawn(process.execPath, [LOCK_HOLDER, file], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  const said = (word: string) =>
    new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        if (String(d).includes(word)) {
          child.stdout!.off('data', onData);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`the lock holder exited (${code}) before saying "${word}"`)));
    });
  return said('locked').then(() => ({
    release: () => {
      child.stdin!.write('release\n');
      return said('released');
    },
  }));
}

describe('degraded writing', () => {
  test('a full file pauses history with the reason; samples wait in memory; writing resumes once there is room', () => {
    const file = historyFile();
    const { store, clock, tick } = storeWithTimer(file, { maxBytes: 256 * 1024 });
    const random = seeded(11);
    const written: number[] = [];
    let i = 0;
    let t = T0;
    while (store.status().writing) {
      for (let k = 0; k < 500; k++, i++) {
        t = T0 + i * SECOND;
        const v = random();
        store.append(NOISE, t, v);
        written.push(v);
      }
      tick();
      if (i > 1_000_000) throw new Error('the size limit never stopped the writes');
    }
    const paused = store.status();
    expect(paused).toMatchObject({ writing: false, since: new Date(clock.now()).toISOString() });
    expect(paused.reason).toMatch(/^history paused: the disk is full, or the history size limit is reached \(SQLITE_FULL\); \d+ samples and 0 events wait in memory$/);

    // Supervision goes on, and so do the samples: buffered, and still answered by queries.
    for (let k = 0; k < 3000; k++, i++) {
      t = T0 + i * SECOND;
      store.append(NOISE, t, k);
      written.push(k);
    }
    tick();
    expect(store.status().writing).toBe(false);
    expect(store.query({ series: NOISE, from: t - 10 * SECOND, to: t, step: 0 }).points.map((p) => p[1])).toEqual(written.slice(-11));

    store.setMaxBytes(null); // room again (as when the user frees disk space)
    tick();
    expect(store.status()).toMatchObject({ writing: true, reason: null, since: null });
    store.close();

    const again = MetricStore.open(file, { now: clock.now, commitEveryMs: 0 });
    const all = again.query({ series: NOISE, from: T0, to: t, step: 0 }).points.map((p) => p[1]);
    expect(all.length).toBe(written.length);
    expect(all).toEqual(written);
    again.close();
  });

  test('while paused, memory stays bounded: the oldest raw samples go, the rollups keep every minute', () => {
    const { store, tick } = storeWithTimer(historyFile(), { maxBytes: 64 * 1024, maxBufferedSamples: 5000, chunkSizes: { raw: 100, minute: 60, hour: 60 } });
    let i = 0;
    let t = T0;
    const append = (n: number) => {
      for (let k = 0; k < n; k++, i++) {
        t = T0 + i * SECOND;
        store.append(NOISE, t, Math.sin(i) * 1e3 + i / 3);
      }
    };
    while (store.status().writing) {
      append(500);
      tick();
    }
    const pausedAt = i;
    append(20_000); // far more than the cap
    tick();
    expect(store.dropped.overCap).toBeGreaterThan(10_000);
    const raw = store.query({ series: NOISE, from: T0, to: t, step: 0 }).points;
    expect(raw.length).toBeLessThan(pausedAt + 5000 + 200); // what was written, the cap, the open head
    expect(raw.at(-1)![0]).toBe(t);
    const minutes = store.query({ series: NOISE, from: T0, to: t, step: MINUTE }).points;
    expect(minutes.length).toBe(Math.ceil(i / 60)); // no minute lost
    expect(store.status().reason).toMatch(/older samples dropped/);
    store.close();
  });

  test('a file locked by another process pauses history; writing resumes by itself when the lock goes', async () => {
    const file = historyFile();
    const { store, clock, tick } = storeWithTimer(file);
    store.append('system_cpu_percent', T0, 0);
    tick(); // the file exists with its tables before the other process locks it

    const lock = await holdLock(file);
    for (let s = 1; s <= 20; s++) store.append('system_cpu_percent', T0 + s * SECOND, s);
    tick();
    const paused = store.status();
    expect(paused.writing).toBe(false);
    expect(paused.reason).toMatch(/the history file is locked by another process \(SQLITE_BUSY\)/);
    // Reads go on while another process holds the write lock (WAL).
    expect(store.query({ series: 'system_cpu_percent', from: T0, to: T0 + HOUR, step: 0 }).points.length).toBe(21);

    await lock.release();
    store.append('system_cpu_percent', T0 + 21 * SECOND, 21);
    tick();
    expect(store.status()).toMatchObject({ writing: true, reason: null });
    store.close();

    const again = MetricStore.open(file, { now: clock.now, commitEveryMs: 0 });
    expect(again.query({ series: 'system_cpu_percent', from: T0, to: T0 + HOUR, step: 0 }).points.map((p) => p[1])).toEqual(Array.from({ length: 22 }, (_, s) => s));
    again.close();
  });
});
