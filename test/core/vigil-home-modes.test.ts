// Service output often holds secrets (a token echoed at start, a connection string in a stack
// trace): every file Vigil keeps under VIGIL_HOME is the user's alone, 0600 in 0700 folders,
// including what an older Vigil left readable by others.
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { Engine } from '../../src/core/engine.ts';
import { vigilPaths } from '../../src/core/paths.ts';
import { FIXTURE, NODE, tempDir, waitFor, writeStack } from '../helpers/stack.ts';

const mode = (file: string) => statSync(file).mode & 0o777;
let engine: Engine | null = null;
afterEach(async () => {
  await engine?.shutdown();
  engine = null;
});

test('logs and run folders are 0700, log files 0600, rotated ones too, and loose ones are tightened', async () => {
  const dir = tempDir();
  const paths = vigilPaths(path.join(dir, 'home'));
  // What an older Vigil left: a 0755 logs folder with a 0644 log in it.
  mkdirSync(paths.logs, { recursive: true, mode: 0o755 });
  chmodSync(paths.logs, 0o755);
  const old = path.join(paths.logs, 'talker.1.log');
  writeFileSync(old, 'SECRET=old\n');
  chmodSync(old, 0o644);
  const file = writeStack(
    dir,
    `services:\n  - name: talker\n    command: ["${NODE}", "${FIXTURE}", "--flood"]\n    logs: { max_size: 16KB, files: 3 }\n`,
  );
  engine = new Engine({ files: [file], paths });
  await engine.start();
  await waitFor('rotated logs', () => readdirSync(paths.logs).filter((f) => /^talker\.\d\.log$/.test(f)).length >= 2);
  await engine.act('talker', 'stop');
  expect(mode(paths.home)).toBe(0o700);
  expect(mode(paths.logs)).toBe(0o700);
  expect(mode(paths.run)).toBe(0o700);
  // A rotation renames the live file away and then opens a new one; the stop can fall in
  // between, so wait for the live file before checking every file's mode.
  const logs = await waitFor('the live log file', () => {
    const names = readdirSync(paths.logs);
    return names.includes('talker.log') && names;
  });
  for (const name of logs) expect({ name, mode: mode(path.join(paths.logs, name)).toString(8) }).toEqual({ name, mode: '600' });
  engine.setAutoRestart({ enabled: true }); // writes settings.json
  for (const name of ['settings.json', 'processes.json']) expect(mode(path.join(paths.home, name))).toBe(0o600);
});
