// A service that floods its output: logs rotate within their bounds and the engine stays responsive.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { FIXTURE, NODE, startEngine, waitFor } from '../helpers/stack.ts';

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

test('a log flood rotates files within max_size x files and loses no line in memory order', async () => {
  const run = await startEngine(`
services:
  - name: flood
    command: ["${NODE}", "${FIXTURE}", "--flood"]
    logs: { max_size: 64KB, files: 3 }
`);
  cleanup = run.cleanup;
  const logsDir = run.engine.paths.logs;
  await waitFor('rotation', () => readdirSync(logsDir).filter((f) => f.startsWith('flood')).length >= 3, 15_000);
  // The engine still answers while the flood goes on.
  expect(run.state('flood').state).toBe('running');
  await new Promise((r) => setTimeout(r, 500));
  const files = readdirSync(logsDir).filter((f) => f.startsWith('flood'));
  expect(files.length).toBeLessThanOrEqual(3);
  for (const f of files) expect(statSync(path.join(logsDir, f)).size).toBeLessThan(64 * 1024 + 16 * 1024);

  const lines = run.engine.logs('flood', 1000).filter((l) => l.stream === 'stdout');
  expect(lines.length).toBeGreaterThan(100);
  const numbers = lines.map((l) => Number(l.text.split(' ')[0]));
  numbers.slice(1).forEach((n, i) => expect(n).toBe(numbers[i]! + 1)); // consecutive: nothing dropped
  await run.engine.act('flood', 'stop');
  expect(run.state('flood').state).toBe('stopped');
});
