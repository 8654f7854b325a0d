// Vigil's own files against a hostile or careless local user: a link planted at the token's
// place, a token others can read, a data folder others can write to. Real files, real modes.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync, existsSync, lstatSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { vigilPaths } from '../../src/core/paths.ts';
import { startServer } from '../../src/core/serve.ts';
import { loadOrCreateToken, readToken } from '../../src/core/server/token.ts';
import { ensureVigilHome } from '../../src/core/private-files.ts';
import { tempDir, writeStack } from '../helpers/stack.ts';

const mode = (file: string) => statSync(file).mode & 0o777;
const uid = process.getuid!();

describe('the API token file', () => {
  test('is created 0600, exclusively, and read back the next time', () => {
    const file = path.join(tempDir(), 'token');
    const first = loadOrCreateToken(file);
    expect(first.token).toMatch(/^[0-9a-f]{64}$/);
    expect(first.replacedBecause).toBeNull();
    expect(mode(file)).toBe(0o600);
    expect(loadOrCreateToken(file).token).toBe(first.token);
    expect(readToken(file)).toBe(first.token);
  });

  test('a symbolic link planted at its place is refused, and its target left alone', () => {
    const dir = tempDir();
    const victim = path.join(dir, 'victim');
    writeFileSync(victim, `${'a'.repeat(64)}\n`, { mode: 0o644 });
    chmodSync(victim, 0o644);
    const file = path.join(dir, 'token');
    symlinkSync(victim, file);
    expect(() => loadOrCreateToken(file)).toThrow(/symbolic link/);
    expect(() => loadOrCreateToken(file)).toThrow(file);
    expect(() => readToken(file)).toThrow(/symbolic link/);
    expect(readFileSync(victim, 'utf8')).toBe(`${'a'.repeat(64)}\n`);
    expect(mode(victim)).toBe(0o644); // not chmod-ed through the link
  });

  test('a dangling link is refused rather than written through', () => {
    const dir = tempDir();
    const target = path.join(dir, 'elsewhere');
    const file = path.join(dir, 'token');
    symlinkSync(target, file);
    expect(() => loadOrCreateToken(file)).toThrow(/symbolic link/);
    expect(existsSync(target)).toBe(false);
    expect(lstatSync(file).isSymbolicLink()).toBe(true);
  });

  test('a folder or a FIFO at its place is refused (and the FIFO does not hang the read)', () => {
    const dir = tempDir();
    const folder = path.join(dir, 'token');
    mkdirSync(folder);
    expect(() => loadOrCreateToken(folder)).toThrow(/not a regular file/);
    const fifo = path.join(dir, 'fifo-token');
    execFileSync('mkfifo', ['-m', '600', fifo]);
    expect(() => loadOrCreateToken(fifo)).toThrow(/not a regular file/);
    expect(() => readToken(fifo)).toThrow(/not a regular file/);
  });

  test('a token owned by another user is refused', () => {
    const file = path.join(tempDir(), 'token');
    writeFileSync(file, `${'b'.repeat(64)}\n`, { mode: 0o600 });
    // Seen from another account, this file belongs to someone else.
    expect(() => loadOrCreateToken(file, uid + 1)).toThrow(/owned by another user/);
    expect(() => readToken(file, uid + 1)).toThrow(/owned by another user/);
  });

  test('a token others could read is never used again: a new one replaces it', () => {
    const file = path.join(tempDir(), 'token');
    const old = 'c'.repeat(64);
    writeFileSync(file, `${old}\n`);
    chmodSync(file, 0o644);
    expect(() => readToken(file)).toThrow(/readable by other users/);
    const loaded = loadOrCreateToken(file);
    expect(loaded.token).not.toBe(old);
    expect(loaded.replacedBecause).toMatch(/readable by other users/);
    expect(mode(file)).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(loaded.token);
  });
});

describe('the data folder (VIGIL_HOME)', () => {
  test('is created 0700 when missing', () => {
    const home = path.join(tempDir(), 'a', 'home');
    ensureVigilHome(home);
    expect(mode(home)).toBe(0o700);
  });

  test('one that others can write to is refused, with the fix in the message', () => {
    const home = path.join(tempDir(), 'home');
    mkdirSync(home);
    chmodSync(home, 0o777);
    expect(() => ensureVigilHome(home)).toThrow(/other users can write/);
    expect(() => ensureVigilHome(home)).toThrow(`chmod 700 ${home}`);
    chmodSync(home, 0o775);
    expect(() => ensureVigilHome(home)).toThrow(/other users can write/);
    chmodSync(home, 0o755); // readable by others only: narrowed, not refused
    expect(() => ensureVigilHome(home)).not.toThrow();
    expect(mode(home)).toBe(0o700);
  });

  test('one owned by another user, or a file, is refused', () => {
    const home = path.join(tempDir(), 'home');
    mkdirSync(home, { mode: 0o700 });
    expect(() => ensureVigilHome(home, uid + 1)).toThrow(/owned by another user/);
    const file = path.join(tempDir(), 'plain-file');
    writeFileSync(file, '');
    expect(() => ensureVigilHome(file)).toThrow(/not a folder/);
  });

  test('`vigil serve` refuses to start on a world-writable data folder and writes nothing there', async () => {
    const dir = tempDir();
    const home = path.join(dir, 'home');
    mkdirSync(home);
    chmodSync(home, 0o777);
    const file = writeStack(dir, 'services: []\n');
    await expect(startServer({ files: [file], port: 0, paths: vigilPaths(home), print: () => {} })).rejects.toThrow(/other users can write/);
    expect(existsSync(path.join(home, 'token'))).toBe(false);
  });
});
