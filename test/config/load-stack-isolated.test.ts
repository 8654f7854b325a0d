// The engine reads stack files away from its own heap, through the built loader. In the app
// the engine runs inside Electron, whose binary is not a Node runtime once the RunAsNode fuse
// is off: the loader must not depend on starting process.execPath as Node.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadStackIsolated } from '../../src/core/config/load-stack-isolated.ts';
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

  it('loads a stack when process.execPath is no Node runtime (Electron with RunAsNode off)', async () => {
    const file = writeIn(tempDir(), 'vigil.yml', yaml('services:', '  - name: web', '    command: [node, server.js]', '    port: 3000'));
    process.execPath = '/bin/false';
    const stack = await loadStackIsolated([file]);
    expect(stack.services.map((s) => [s.name, s.port])).toEqual([['web', 3000]]);
  });

  it('reports a broken file with its place, and an alias bomb without exhausting the engine', async () => {
    const dir = tempDir();
    const broken = writeIn(dir, 'broken.yml', yaml('services:', '  - name: web', '    command: *nope'));
    const error = await loadStackIsolated([broken]).catch((err: unknown) => err);
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
    const bombError = await loadStackIsolated([bomb]).catch((err: unknown) => err);
    expect((bombError as StackFileError).issues[0]).toMatchObject({ line: 12, column: 14 });
    expect((bombError as StackFileError).message).toContain('billion laughs');
  });
});
