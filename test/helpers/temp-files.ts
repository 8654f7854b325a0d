// Temp folders (stack files for the config and CLI tests, fake sysfs trees for the samplers),
// removed after each test.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder in `base` (default: the system's temp folder). */
export function tempDir(base = os.tmpdir()): string {
  const dir = mkdtempSync(path.join(base, 'vigil-test-'));
  made.push(dir);
  return dir;
}

/** Writes `text` as `name` in `dir` and returns its path. */
export function writeIn(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** A YAML file written one line per argument, so a test can count lines at a glance. */
export const yaml = (...lines: string[]) => `${lines.join('\n')}\n`;
