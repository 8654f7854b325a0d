// The `vigil` command against a real `vigil serve` process (the bundle `npm test` builds first).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { StateSnapshot } from '../../src/shared/contract.ts';
import { FIXTURE, freePort, NODE, pidsMatching, processExists, ROOT, tempDir, waitFor, writeStack } from '../helpers/stack.ts';

const BIN = path.join(ROOT, 'bin/vigil.mjs');
const running: ChildProcess[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
  }
});

function vigil(home: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(NODE, [BIN, ...args], { env: { ...process.env, VIGIL_HOME: home }, cwd: home }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function serve(home: string, file: string, apiPort: number): Promise<ChildProcess> {
  const child = spawn(NODE, [BIN, 'serve', '-c', file, '--port', String(apiPort)], {
    env: { ...process.env, VIGIL_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await waitFor(`vigil serve up (${output})`, async () => (await vigil(home, ['status', '--json'])).code !== 3);
  return child;
}

async function status(home: string): Promise<StateSnapshot> {
  return JSON.parse((await vigil(home, ['status', '--json'])).stdout);
}

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

test('a restarted engine adopts the services its crashed predecessor left running', async () => {
  const home = tempDir();
  const tag = `adopt-${randomUUID()}`;
  const [port, apiPort] = [await freePort(), await freePort()];
  const file = writeStack(home, `services:\n  - name: web\n    command: ["${NODE}", "${FIXTURE}", "--port", "${port}", "--tag", "${tag}", "--tick", "50"]\n    port: ${port}\n`);
  const first = await serve(home, file, apiPort);
  const before = await waitFor('web running', async () => {
    const s = (await status(home)).services[0];
    return s?.state === 'running' && s;
  });
  first.kill('SIGKILL'); // an engine crash: the service lives on in its own process group
  await new Promise((r) => first.once('exit', r));
  expect(processExists(before.pid!)).toBe(true);

  const second = await serve(home, file, apiPort);
  const adopted = await waitFor('web adopted', async () => {
    const s = (await status(home)).services[0];
    return s?.state === 'running' && s;
  });
  expect(adopted).toMatchObject({ pid: before.pid, adopted: true });
  expect(pidsMatching(tag)).toEqual([before.pid]);
  // It kept printing while no engine read its output, and did not die of it; the new engine
  // reads on from the same pipe.
  const ticks = async () => (await vigil(home, ['logs', 'web', '-n', '1000'])).stdout.match(/tick (\d+)/g) ?? [];
  await waitFor('new ticks', async () => (await ticks()).length >= 5);
  const numbers = (await ticks()).map((t) => Number(t.split(' ')[1]));
  // Consecutive: the lines written while no engine read them waited in the pipe, none lost.
  numbers.slice(1).forEach((n, i) => expect(n).toBe(numbers[i]! + 1));
  expect(processExists(before.pid!)).toBe(true);

  // Adopted, it is still supervised: a crash is noticed and repaired.
  process.kill(before.pid!, 'SIGKILL');
  await waitFor('web restarted', async () => {
    const s = (await status(home)).services[0];
    return s?.state === 'running' && s.pid !== before.pid && !s.adopted;
  });
  second.kill('SIGINT');
  await new Promise((r) => second.once('exit', r));
  expect(pidsMatching(tag)).toEqual([]);
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

test('a service edited while no engine ran is not adopted: the old process ends, the new definition starts', async () => {
  const home = tempDir();
  const tag = `edited-${randomUUID()}`;
  const [port, apiPort] = [await freePort(), await freePort()];
  const stack = (say: string) => `services:\n  - name: web\n    command: ["${NODE}", "${FIXTURE}", "--port", "${port}", "--tag", "${tag}", "--say", "${say}"]\n    port: ${port}\n`;
  const file = writeStack(home, stack('v1'));
  const first = await serve(home, file, apiPort);
  const before = await waitFor('web running', async () => {
    const s = (await status(home)).services[0];
    return s?.state === 'running' && s;
  });
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));
  writeStack(home, stack('v2'));
  await serve(home, file, apiPort);
  const after = await waitFor('web running the new definition', async () => {
    const s = (await status(home)).services[0];
    return s?.state === 'running' && s.pid !== before.pid && s;
  });
  expect(after.adopted).toBe(false);
  expect(processExists(before.pid!)).toBe(false);
  expect(pidsMatching(tag)).toEqual([after.pid]);
});
