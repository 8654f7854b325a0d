// Starting in dependency order, stopping whole process trees, ports held by strangers.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterEach, expect, test } from 'vitest';
import { DEMO_SERVICE, FIXTURE, freePort, NODE, pidsMatching, processExists, startEngine, stateEventsWithoutTransition, waitFor } from '../helpers/stack.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

test('depends_on: a service starts only once its dependency is running and healthy', async () => {
  const [apiPort, webPort] = [await freePort(), await freePort()];
  const run = await startEngine(`
services:
  - name: web
    command: ["${NODE}", "${FIXTURE}", "--port", "${webPort}"]
    port: ${webPort}
    depends_on: [api]
  - name: api
    command: ["${NODE}", "${FIXTURE}", "--port", "${apiPort}", "--slow-start", "700"]
    port: ${apiPort}
`);
  cleanups.push(run.cleanup);
  expect(run.state('web')).toMatchObject({ state: 'stopped', reason: 'dependency' });
  expect(run.state('web').error).toContain('waiting for "api"');
  await waitFor('web running', () => run.state('web').state === 'running');
  const events = run.engine.events.list();
  const apiRunning = events.find((e) => e.service === 'api' && e.to === 'running')!;
  const webStarting = events.find((e) => e.service === 'web' && e.to === 'starting')!;
  expect(webStarting.id).toBeGreaterThan(apiRunning.id);
});

test('stop and quit end the whole process tree, even a child that ignores SIGTERM', async () => {
  const tag = `tree-${randomUUID()}`;
  const run = await startEngine(`
services:
  - name: tree
    command: ["${NODE}", "${FIXTURE}", "--child", "--tag", "${tag}"]
  - name: stubborn
    command: ["${NODE}", "${FIXTURE}", "--ignore-sigterm", "--tag", "${tag}"]
    stop: { timeout: 400ms }
`);
  cleanups.push(run.cleanup);
  await waitFor('service and grandchild and stubborn', () => pidsMatching(tag).length === 3);
  await run.engine.act('tree', 'stop');
  expect(run.state('tree')).toMatchObject({ state: 'stopped', reason: 'user', pid: null });
  expect(pidsMatching(tag)).toHaveLength(1); // only "stubborn" is left

  await run.engine.act('tree', 'start');
  await waitFor('tree running again', () => pidsMatching(tag).length === 3);
  await run.engine.shutdown(); // what Ctrl-C of `vigil serve` does
  expect(pidsMatching(tag)).toEqual([]);
  const log = run.engine.logs('stubborn').map((l) => l.text).join('\n');
  expect(log).toContain('killed with SIGKILL');
});

test('a port held by another process: the error names it, and freeing it lets the service start', async () => {
  const port = await freePort();
  const tag = `squatter-${randomUUID()}`;
  const squatter = spawn(NODE, [DEMO_SERVICE, '--port', String(port), '--name', tag], { stdio: 'ignore' });
  cleanups.push(() => void squatter.kill('SIGKILL'));
  await waitFor('squatter listening', async () => (await import('../../src/core/supervisor/port-holder.ts')).isPortOpen(port));
  const run = await startEngine(`
services:
  - name: web
    command: ["${NODE}", "${FIXTURE}", "--port", "${port}"]
    port: ${port}
`);
  cleanups.push(run.cleanup);
  const blocked = await waitFor('port-in-use', () => run.state('web').reason === 'port-in-use' && run.state('web'));
  expect(blocked.state).toBe('stopped');
  expect(blocked.error).toContain(`port ${port} is already in use by pid ${squatter.pid}`);
  expect(blocked.error).toContain(tag);
  expect(blocked.error).toContain(`vigil free-port ${port}`);
  expect(processExists(squatter.pid!)).toBe(true); // never killed unless asked

  const freed = await run.engine.freePort(port);
  expect(freed).toMatchObject({ killed: true, holder: { pid: squatter.pid } });
  const running = await waitFor('web running', () => run.state('web').state === 'running' && run.state('web'));
  expect(running.pid).not.toBe(squatter.pid);
  const freedEvent = run.engine.events.list().find((e) => e.type === 'port.freed');
  expect(freedEvent).toMatchObject({ service: null, message: `freed port ${port}: stopped pid ${squatter.pid} (${freed.holder!.command})` });
  expect(stateEventsWithoutTransition(run.engine.events.list())).toEqual([]);
});

test('a watch-only service is checked, never started or stopped', async () => {
  const port = await freePort();
  const outside = spawn(NODE, [DEMO_SERVICE, '--port', String(port), '--name', 'outside'], { stdio: 'ignore' });
  cleanups.push(() => void outside.kill('SIGKILL'));
  const run = await startEngine(`
services:
  - name: db
    port: ${port}
    health: { path: /health, interval: 200ms, failures: 2 }
`);
  cleanups.push(run.cleanup);
  const watched = await waitFor('db running', () => run.state('db').state === 'running' && run.state('db'));
  expect(watched).toMatchObject({ watchOnly: true, pid: outside.pid });
  outside.kill('SIGKILL');
  await waitFor('db not found', () => run.state('db').state === 'stopped' && run.state('db').reason === 'not-found');
  expect(run.state('db').restarts).toBe(0);

  const again = spawn(NODE, [DEMO_SERVICE, '--port', String(port), '--name', 'outside'], { stdio: 'ignore' });
  cleanups.push(() => void again.kill('SIGKILL'));
  await waitFor('db running again', () => run.state('db').state === 'running' && run.state('db').pid === again.pid);
  await run.engine.shutdown();
  expect(processExists(again.pid!)).toBe(true);
});

test('a program that does not exist is reported, not retried in a loop', async () => {
  const run = await startEngine(`
services:
  - name: ghost
    command: ["vigil-no-such-program-42"]
`);
  cleanups.push(run.cleanup);
  const failed = await waitFor('spawn-failed', () => run.state('ghost').reason === 'spawn-failed' && run.state('ghost'));
  expect(failed.error).toContain('program "vigil-no-such-program-42" not found');
});

test('a stop that arrives while a restart is on its way leaves no process behind', async () => {
  const tag = `race-${randomUUID()}`;
  const port = await freePort();
  const run = await startEngine(`
services:
  - name: web
    command: ["${NODE}", "${FIXTURE}", "--port", "${port}", "--tag", "${tag}"]
    port: ${port}
`);
  cleanups.push(run.cleanup);
  await waitFor('web running', () => run.state('web').state === 'running');
  for (let i = 0; i < 3; i++) {
    await run.engine.act('web', 'restart'); // the old process is gone; the new one is being launched
    await run.engine.act('web', 'stop');
    await new Promise((r) => setTimeout(r, 300));
    expect(run.state('web')).toMatchObject({ state: 'stopped', reason: 'user', pid: null });
    expect(pidsMatching(tag)).toEqual([]);
    await run.engine.act('web', 'start');
    await waitFor('web running', () => run.state('web').state === 'running');
  }
});
