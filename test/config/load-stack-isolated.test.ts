// The engine reads stack files away from its own heap, through the built loader: a child
// process under plain Node, a worker thread inside Electron, whose binary is not a Node
// runtime once the RunAsNode fuse is off (so the thread must not need process.execPath).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultIsolation, type LoaderIsolation, loadStackIsolated } from '../../src/core/config/load-stack-isolated.ts';
import { StackFileError } from '../../src/core/config/stack-file-error.ts';
import { ROOT, tempDir, writeIn, yaml } from '../helpers/temp-files.ts';

const realExecPath = process.execPath;
afterEach(() => {
  process.execPath = realExecPath;
});

describe('loadStackIsolated', () => {
  it('runs the built loader (npm test builds first)', () => {
    expect(existsSync(path.join(ROOT, 'dist', 'stack-loader.mjs'))).toBe(true);
  });

  it('uses a child process under Node (no memory kept in the engine) and a thread only inside Electron', () => {
    expect(process.versions.electron).toBeUndefined();
    expect(defaultIsolation()).toBe('process');
  });

  it('in a thread, loads a stack when process.execPath is no Node runtime (Electron with RunAsNode off)', async () => {
    const file = writeIn(tempDir(), 'vigil.yml', yaml('services:', '  - name: web', '    command: [node, server.js]', '    port: 3000'));
    process.execPath = '/bin/false';
    const stack = await loadStackIsolated([file], 'thread');
    expect(stack.services.map((s) => [s.name, s.port])).toEqual([['web', 3000]]);
  });

  it.each<LoaderIsolation>(['process', 'thread'])('in a %s, reports a broken file with its place, and an alias bomb', async (isolation) => {
    const dir = tempDir();
    const broken = writeIn(dir, 'broken.yml', yaml('services:', '  - name: web', '    command: *nope'));
    const error = await loadStackIsolated([broken], isolation).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StackFileError);
    expect((error as StackFileError).issues[0]).toMatchObject({ file: broken, line: 3, column: 14 });
    const bomb = writeIn(
      dir,
      'bomb.yml',
      yaml(
        'x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
        ...'bcdefghi'.split('').map((c, i) => `x-${c}: &${c} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`),
        'services:',
        '  - name: web',
        '    command: *i',
      ),
    );
    const bombError = await loadStackIsolated([bomb], isolation).catch((err: unknown) => err);
    expect((bombError as StackFileError).issues[0]).toMatchObject({ line: 12, column: 14 });
    expect((bombError as StackFileError).message).toContain('billion laughs');
  });
});
