// SIGKILL a real process while it writes history, then check what it left.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { MetricStore } from '../../../src/core/metrics/store/metric-store.ts';
import { WRITER_SERIES, WRITER_T0, writerValue } from '../../fixtures/metrics-store-writer.ts';
import { historyFile, MINUTE, seeded } from './store-files.ts';

const WRITER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/metrics-store-writer.ts');

/** Runs the writer until it has reported `commits` commits, waits a little more (so the kill
 * lands anywhere: in a commit, between them), SIGKILLs it; the last tick it reported. */
function writeAndKill(file: string, commits: number, extraMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let reported = -1;
    let seen = 0;
    let stderr = '';
    let buffered = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      buffered += d;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const m = /^committed (\d+)$/.exec(line);
        if (!m) continue;
        reported = Number(m[1]);
        if (++seen === commits) setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(reported);
      else reject(new Error(`the writer exited by itself (${code}): ${stderr}`));
    });
  });
}

test('a writer SIGKILLed mid-write leaves a file that opens, with every sample up to its last commit', async () => {
  const file = historyFile();
  const random = seeded(7);
  let reported = 0;
  for (let round = 0; round < 4; round++) {
    reported = await writeAndKill(file, 2 + Math.floor(random() * 6), Math.floor(random() * 40));

    const db = new DatabaseSync(file);
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    db.close();

    const store = MetricStore.open(file, { now: () => WRITER_T0 + reported * 1000, commitEveryMs: 0 });
    for (let s = 0; s < WRITER_SERIES.length; s++) {
      const { points } = store.query({ series: WRITER_SERIES[s]!, from: WRITER_T0, to: WRITER_T0 + 10 * reported * 1000, step: 0 });
      // Every sample before the reported tick, maybe some after it (a commit that finished
      // before the kill but had not said so yet), and no gap, no wrong value.
      expect(points.length).toBeGreaterThanOrEqual(reported);
      const wrong = points.findIndex(([t, v], i) => t !== WRITER_T0 + i * 1000 || v !== writerValue(s, i));
      expect(wrong).toBe(-1);
    }
    // The minute rollup went on across the kills: every whole minute has its 60 samples.
    const minutes = store.query({ series: WRITER_SERIES[3]!, from: WRITER_T0, to: WRITER_T0 + reported * 1000 - MINUTE, step: MINUTE }).points;
    expect(minutes.length).toBeGreaterThan(0);
    minutes.forEach(([t, avg, min, max], i) => {
      expect(t).toBe(WRITER_T0 + i * MINUTE);
      expect([min, max, avg]).toEqual([i * 180, i * 180 + 177, i * 180 + 88.5]);
    });
    store.close();
  }
  expect(reported).toBeGreaterThan(4000);
});
