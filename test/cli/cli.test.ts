// The `vigil` command against a real `vigil serve` process (the bundle `npm test` builds first).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { FIXTURE, freePort, NODE, pidsMatching, processExists, tempDir, waitFor, writeStack } from '../helpers/stack.ts';
import { BIN, serve, status, vigil } from '../helpers/vigil-serve.ts';

test('with no engine running the CLI says so plainly and exits 3', async () => {
  const home = tempDir();
  const result = await vigil(home, ['status']);
  expect(result.code).toBe(3);
  expect(result.stderr).toContain('Vigil is not running');
  expect(result.stderr).toContain('vigil serve');
});

test('status, stop, start and logs through a running engine; Ctrl-C leaves nothing behind', async () => {
  const home = tempDir();
  const tag = `cli-${randomUUID()}`;
  const [port, apiPort] = [await freePort(), await freePort()];
  const file = writeStack(home, `services:\n  - name: web\n    command: ["${NODE}", "${FIXTURE}", "--port", "${port}", "--child", "--tag", "${tag}", "--say", "hi-${tag}"]\n    port: ${port}\n`);
  const child = await serve(home, file, apiPort);
  await waitFor('web running', async () => (await status(home)).services[0]?.state === 'running');

  const table = await vigil(home, ['status']);
  expect(table.code).toBe(0);
  expect(table.stdout).toMatch(/web\s+running\s+\d+\s+\d+\s+0/);

  expect((await vigil(home, ['stop', 'web'])).stdout).toContain('stopped: web');
  const stopped = await vigil(home, ['status', '--json']);
  expect(stopped.code).toBe(1); // not every service is running
  expect(JSON.parse(stopped.stdout).services[0]).toMatchObject({ state: 'stopped', reason: 'user' });
  expect(pidsMatching(tag)).toEqual([]);

  await vigil(home, ['start', 'web']);
  await waitFor('web running again', async () => (await status(home)).services[0]?.state === 'running');
  expect((await vigil(home, ['logs', 'web', '-n', '20'])).stdout).toContain(`hi-${tag}`);
  expect((await vigil(home, ['restart', 'nope'])).stderr).toContain('no service named "nope"');
  expect((await vigil(home, ['events'])).stdout).toContain('starting -> running');

  child.kill('SIGINT');
  await new Promise((r) => child.once('exit', r));
  expect(pidsMatching(tag)).toEqual([]);
  expect(readdirSync(path.join(home, 'run'))).toEqual([]); // the output FIFOs are gone too
});

test('free-port refuses to kill without --yes when there is no terminal to ask', async () => {
  const home = tempDir();
  const port = await freePort();
  const squatter = spawn(NODE, [FIXTURE, '--port', String(port)], { stdio: 'ignore' });
  try {
    await waitFor('squatter listening', async () => (await import('../../src/core/supervisor/port-holder.ts')).isPortOpen(port));
    const refused = await vigil(home, ['free-port', String(port)]);
    expect(refused.stdout).toContain(`held by pid ${squatter.pid}`);
    expect(refused.code).not.toBe(0);
    expect(processExists(squatter.pid!)).toBe(true);
    const freed = await vigil(home, ['free-port', String(port), '--yes']);
    expect(freed.stdout).toContain(`stopped pid ${squatter.pid}`);
    await waitFor('squatter gone', () => !processExists(squatter.pid!));
  } finally {
    squatter.kill('SIGKILL');
  }
});

test('a second engine on the same VIGIL_HOME refuses to start', async () => {
  const home = tempDir();
  const [port, apiPort, otherApiPort] = [await freePort(), await freePort(), await freePort()];
  const file = writeStack(home, `services:\n  - name: web\n    command: ["${NODE}", "${FIXTURE}", "--port", "${port}"]\n    port: ${port}\n`);
  await serve(home, file, apiPort);
  const second = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(NODE, [BIN, 'serve', '-c', file, '--port', String(otherApiPort)], { env: { ...process.env, VIGIL_HOME: home } });
    let output = '';
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => resolve({ code, output }));
  });
  expect(second.code).toBe(1);
  expect(second.output).toContain('another Vigil engine');
  expect(second.output).toContain(home);
});

test('a second Ctrl-C kills a service that is slow to stop, at once', async () => {
  const home = tempDir();
  const tag = `stubborn-${randomUUID()}`;
  const apiPort = await freePort();
  const file = writeStack(home, `services:\n  - name: stubborn\n    command: ["${NODE}", "${FIXTURE}", "--ignore-sigterm", "--tick", "100", "--tag", "${tag}"]\n    stop: { timeout: 60s }\n`);
  const child = await serve(home, file, apiPort);
  // Its first tick comes after it has set up to ignore SIGTERM (it has no health check to wait for).
  await waitFor('stubborn ticking', async () => (await vigil(home, ['logs', 'stubborn'])).stdout.includes('tick 0'));
  child.kill('SIGINT');
  child.kill('SIGINT'); // the same Ctrl-C twice (terminal and launcher): still a gentle stop
  await new Promise((r) => setTimeout(r, 800));
  expect(pidsMatching(tag)).toHaveLength(1); // it ignores SIGTERM, and the kill timeout is long
  child.kill('SIGINT'); // a person pressing Ctrl-C again
  const code = await new Promise((r) => child.once('exit', (c) => r(c)));
  expect(code).toBe(130);
  await waitFor('stubborn gone', () => pidsMatching(tag).length === 0);
});

test('vigil tunnels prints the public URLs; vigil status and vigil fly show tunnels and the Fly app', async () => {
  const { startFakeNgrokAgent } = await import('../fixtures/fake-ngrok-agent.mjs');
  const agent = await startFakeNgrokAgent();
  try {
    agent.addTunnel({ name: 'web', publicUrl: 'https://cli-test.ngrok.app' });
    const home = tempDir();
    const apiPort = await freePort();
    const file = writeStack(
      home,
      `services:\n  - name: web\n    command: ["${NODE}", "${FIXTURE}"]\ntunnels:\n  - name: public\n    kind: ngrok\n    api: ${agent.url}\n    interval: 100ms\nfly:\n  app: my-app\n  health_url: http://127.0.0.1:${apiPort}/nowhere\n  interval: 1s\n`,
    );
    await serve(home, file, apiPort);
    await waitFor('tunnel up', async () => (await vigil(home, ['tunnels'])).stdout.includes('up'));
    const tunnels = await vigil(home, ['tunnels']);
    expect(tunnels.stdout.trim()).toBe('public\tup\thttps://cli-test.ngrok.app');
    expect(tunnels.code).toBe(0);
    const table = (await vigil(home, ['status'])).stdout;
    expect(table).toContain('Tunnels:');
    expect(table).toMatch(/public \[ngrok\] up https:\/\/cli-test\.ngrok\.app/);
    expect(table).toContain('Fly.io my-app');
    const fly = await vigil(home, ['fly']);
    expect(fly.stdout).toContain('Fly.io my-app');
    const refused = await vigil(home, ['fly', 'restart', 'all']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('FLY_API_TOKEN');
  } finally {
    await agent.close();
  }
});
