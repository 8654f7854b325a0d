// The built engine host (what the app runs as Electron's utility process) in a real Node
// process, with a harness standing in for Electron's parentPort: it starts the stack and the
// API, serves clients on MessagePorts, and stops everything on `shutdown`.
import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HostToMain, PortMessage } from '../../src/shared/contract.ts';
import type { StateSnapshot } from '../../src/shared/contract.ts';
import { demoStack, ensureBuilt } from '../e2e/serve-process.ts';
import { freePort, NODE, processExists, ROOT, tempDir, waitFor } from '../helpers/stack.ts';

const HOST = path.join(ROOT, 'dist/engine-host/engine-host.mjs');
const HARNESS = pathToFileURL(path.join(ROOT, 'test/engine-host/utility-process-harness.mjs')).href;

type Envelope = { from: 'host'; message: HostToMain } | { from: 'port'; id: number; message: PortMessage };

const running: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  // A host a failed test left running stops its stack the orderly way first.
  for (const child of running.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((r) => child.once('exit', r));
    child.send({ to: 'host', message: { kind: 'shutdown' } });
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function makeDir(): string {
  const made = tempDir('vigil-host-');
  dirs.push(made);
  return made;
}

async function startHost(options: { files: string[]; port: number }, home: string) {
  const child = fork(HOST, [], {
    execPath: NODE,
    execArgv: ['--import', HARNESS],
    env: { ...process.env, VIGIL_HOME: home, VIGIL_ENGINE_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  running.push(child);
  const received: Envelope[] = [];
  let output = '';
  child.on('message', (m) => received.push(m as Envelope));
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const fromHost = (kind: HostToMain['kind']) =>
    waitFor(`"${kind}" from the engine host (output: ${output})`, () => received.find((e): e is Extract<Envelope, { from: 'host' }> => e.from === 'host' && e.message.kind === kind)?.message);
  return { child, received, exited, fromHost, output: () => output };
}

describe('engine host (the utility process entry)', () => {
  beforeAll(() => ensureBuilt(), 60_000);

  it('starts the stack and the API, serves a MessagePort client, and stops everything on shutdown', async () => {
    const dir = makeDir();
    const { file } = await demoStack(dir);
    const port = await freePort();
    const host = await startHost({ files: [file], port }, path.join(dir, 'home'));

    const ready = await host.fromHost('ready');
    expect(ready).toMatchObject({ kind: 'ready', url: `http://127.0.0.1:${port}/` });
    // While the app runs, the CLI and a browser reach the same engine over HTTP.
    const token = readFileSync(path.join(dir, 'home', 'token'), 'utf8').trim();
    expect((await fetch(`http://127.0.0.1:${port}/health`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    host.child.send({ to: 'host', message: { kind: 'connect', client: 'main' } });
    const first = await waitFor('the first message on the port', () => host.received.find((e) => e.from === 'port'));
    expect(first).toMatchObject({ from: 'port', id: 1, message: { kind: 'state' } });

    const state = await waitFor('both services running', () => {
      const states = host.received.filter((e) => e.from === 'port' && e.message.kind === 'state').map((e) => (e.message as { state: StateSnapshot }).state);
      const last = states.at(-1);
      return last && last.services.length === 2 && last.services.every((s) => s.state === 'running') ? last : null;
    });

    host.child.send({ to: 'port', id: 1, message: { id: 7, call: { method: 'act', service: 'alpha', action: 'restart' } } });
    const reply = await waitFor('the reply to call 7', () => host.received.find((e) => e.from === 'port' && e.message.kind === 'reply' && e.message.id === 7));
    expect(reply.message).toEqual({ kind: 'reply', id: 7, ok: true, result: ['alpha'] });

    host.child.send({ to: 'port', id: 1, message: { id: 8, call: { method: 'act', service: 'alpha', action: 'explode' } } });
    const refused = await waitFor('the reply to call 8', () => host.received.find((e) => e.from === 'port' && e.message.kind === 'reply' && e.message.id === 8));
    expect(refused.message).toMatchObject({ ok: false, error: expect.stringContaining('refused a malformed request') });

    const pids = state.services.map((s) => s.pid!);
    host.child.send({ to: 'host', message: { kind: 'shutdown' } });
    await host.fromHost('stopped');
    expect(await host.exited).toBe(0);
    await waitFor('the services to be gone', () => pids.every((pid) => !processExists(pid)));
  }, 60_000);

  it('queues a client that connects before the engine is up', async () => {
    const dir = makeDir();
    const { file } = await demoStack(dir);
    const host = await startHost({ files: [file], port: await freePort() }, path.join(dir, 'home'));
    host.child.send({ to: 'host', message: { kind: 'connect', client: 'renderer' } });
    await host.fromHost('ready');
    await waitFor('the state on the early port', () => host.received.find((e) => e.from === 'port' && e.message.kind === 'state'));
    host.child.send({ to: 'host', message: { kind: 'shutdown' } });
    expect(await host.exited).toBe(0);
  }, 60_000);

  it('reports a start-up failure to main and exits', async () => {
    const dir = makeDir();
    const { file } = await demoStack(dir);
    const squatter = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => squatter.once('listening', r));
    const port = (squatter.address() as net.AddressInfo).port;
    try {
      const host = await startHost({ files: [file], port }, path.join(dir, 'home'));
      const failed = await host.fromHost('failed');
      expect(failed).toMatchObject({ kind: 'failed', error: expect.stringContaining(`port ${port} on 127.0.0.1 is taken`) });
      expect(await host.exited).toBe(1);
    } finally {
      squatter.close();
    }
  }, 60_000);

  it('refuses to run outside a utility process', () => {
    const result = spawnSync(NODE, [HOST], { encoding: 'utf8', env: { ...process.env, VIGIL_HOME: makeDir() } });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('in a terminal, run `vigil serve`');
  });
});
