// Loading valid stack files: the defaults as documented, several files as one stack, and the
// problems that only show across files or with the file itself.
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStack, StackFileError } from '../../src/core/config/load-stack.ts';
import { ROOT, tempDir, writeIn, yaml } from '../helpers/temp-files.ts';

async function loadError(files: string[]): Promise<StackFileError> {
  const error = await loadStack(files).catch((err: unknown) => err);
  expect(error).toBeInstanceOf(StackFileError);
  return error as StackFileError;
}

describe('a valid stack file', () => {
  it('fills in every default as documented', async () => {
    const dir = tempDir();
    const file = writeIn(dir, 'vigil.yml', yaml('services:', '  - name: web', '    command: [node, server.js]'));

    const { services } = await loadStack([file]);

    expect(services).toEqual([
      {
        name: 'web',
        file,
        command: { program: 'node', args: ['server.js'], shell: false },
        cwd: dir,
        env: {},
        passSecrets: [],
        port: null,
        health: { type: 'none' },
        healthTiming: { timeoutMs: 1000, intervalMs: 1000, failures: 3, startTimeoutMs: 60_000 },
        restart: { policy: 'always', initialMs: 100, factor: 2, capMs: 30_000, jitter: 0.2, resetAfterMs: 10_000 },
        crashLoop: { failures: 5, windowMs: 60_000, coolOffMs: 30_000 },
        stop: { signal: 'SIGTERM', timeoutMs: 5000 },
        dependsOn: [],
        logs: { maxSizeBytes: 10 * 1024 * 1024, files: 5 },
        metrics: null,
      },
    ]);
  });

  it('reads durations, sizes, env and health as people write them', async () => {
    const dir = tempDir();
    const file = writeIn(
      dir,
      'vigil.yml',
      yaml(
        'version: 1',
        'services:',
        '  - name: api',
        '    command: "node server.js | tee out.log"',
        '    shell: true',
        '    cwd: ./api',
        '    env: { DEBUG: true, RETRIES: 3, NAME: api }',
        '    port: 8080',
        '    health: { path: /health, status: 204, interval: 1.5s, start_timeout: 2m }',
        '    restart: { policy: on-failure, backoff: { initial: 250ms, cap: 1m } }',
        '    stop: { signal: SIGINT, timeout: 2s }',
        '    logs: { max_size: 512KB, files: 2 }',
        '    metrics: { url: "http://127.0.0.1:8080/metrics", interval: 15s }',
        '  - name: db',
        '    port: 5432',
      ),
    );

    const [api, db] = (await loadStack([file])).services;

    expect(api).toMatchObject({
      command: { program: 'node server.js | tee out.log', args: [], shell: true },
      cwd: path.join(dir, 'api'),
      env: { DEBUG: 'true', RETRIES: '3', NAME: 'api' },
      health: { type: 'http', url: 'http://127.0.0.1:8080/health', status: 204 },
      healthTiming: { intervalMs: 1500, startTimeoutMs: 120_000 },
      restart: { policy: 'on-failure', initialMs: 250, capMs: 60_000 },
      stop: { signal: 'SIGINT', timeoutMs: 2000 },
      logs: { maxSizeBytes: 512 * 1024, files: 2 },
      metrics: { url: 'http://127.0.0.1:8080/metrics', intervalMs: 15_000 },
    });
    // no command: watched, not run; its port gives it a tcp check
    expect(db).toMatchObject({ command: null, port: 5432, health: { type: 'tcp', port: 5432 } });
  });

  it('loads the demo stack', async () => {
    const { services } = await loadStack([path.join(ROOT, 'examples/demo/vigil.yml')]);
    expect(services.map((s) => [s.name, s.health])).toEqual([
      ['server', { type: 'http', url: 'http://127.0.0.1:5555/health', status: null }],
      ['runner', { type: 'http', url: 'http://127.0.0.1:5051/health', status: null }],
    ]);
  });
});

describe('several stack files', () => {
  it('load as one stack that records which file declares each service', async () => {
    const dir = tempDir();
    const backend = writeIn(dir, 'backend.yml', yaml('services:', '  - name: db', '    command: [postgres]', '    port: 5432'));
    mkdirSync(path.join(dir, 'web'));
    const frontend = writeIn(dir, 'web/vigil.yml', yaml('services:', '  - name: web', '    command: [node, server.js]', '    depends_on: [db]'));

    const stack = await loadStack([backend, frontend]);

    expect(stack.files).toEqual([backend, frontend]);
    expect(stack.services.map((s) => [s.name, s.file, s.cwd])).toEqual([
      ['db', backend, dir],
      ['web', frontend, path.join(dir, 'web')],
    ]);
    expect(stack.services[1]!.dependsOn).toEqual(['db']);
  });

  it('refuse a name used in two files, pointing at the second and naming the first', async () => {
    const dir = tempDir();
    const one = writeIn(dir, 'one.yml', yaml('services:', '  - name: api', '    command: [node, a.js]'));
    const two = writeIn(dir, 'two.yml', yaml('services:', '  - name: worker', '    command: [node, w.js]', '  - name: api', '    command: [node, b.js]'));

    const { issues } = await loadError([one, two]);

    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: two, line: 4, column: 11, field: 'services[1].name' });
    expect(issues[0]!.message).toContain(`already used by the service at ${one}:2`);
  });

  it('report the problems of every file, not just the first', async () => {
    const dir = tempDir();
    const one = writeIn(dir, 'one.yml', yaml('services:', '  - name: api', '    command: [node, a.js]', '    port: 0'));
    const two = writeIn(dir, 'two.yml', yaml('services:', '  - name: web', '    comand: [node, w.js]'));

    const { issues } = await loadError([one, two]);

    expect(issues.map((i) => [i.file, i.line, i.field])).toEqual([
      [one, 4, 'services[0].port'],
      [two, 3, 'services[0].comand'],
    ]);
  });
});

describe('a stack file that cannot be read', () => {
  it('is reported as missing, with where Vigil looked', async () => {
    const file = path.join(tempDir(), 'nope.yml');
    const { issues } = await loadError([file]);
    expect(issues).toEqual([{ file, line: 1, column: 1, field: '', message: expect.stringContaining('no such file') }]);
    expect(issues[0]!.message).toContain(file);
  });

  it('is reported when it is a folder', async () => {
    const dir = tempDir();
    const { issues } = await loadError([dir]);
    expect(issues).toEqual([{ file: dir, line: 1, column: 1, field: '', message: expect.stringContaining('it is a folder') }]);
  });

  it.skipIf(process.getuid?.() === 0)('is reported when it may not be read', async () => {
    const file = writeIn(tempDir(), 'vigil.yml', yaml('services: []'));
    chmodSync(file, 0o000);
    const { issues } = await loadError([file]);
    expect(issues[0]!.message).toContain('permission denied');
  });
});
