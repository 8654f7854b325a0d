// Adoption with real engines: `vigil serve` is SIGKILLed (its services live on in their own
// process groups) and another one is started on the same VIGIL_HOME.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { FIXTURE, freePort, NODE, pidsMatching, processExists, tempDir, waitFor, writeStack } from '../helpers/stack.ts';
import { events, killEngine, logs, serve, status } from '../helpers/vigil-serve.ts';

/** The environment a process runs with, as NAME=value lines. */
const environOf = (pid: number) => readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');

const running = async (home: string) => {
  const s = (await status(home)).services[0];
  return s?.state === 'running' && s;
};

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
  const ticks = async () => (await logs(home, 'web')).flatMap((line) => line.text.match(/^tick \d+$/) ?? []);
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
  expect((await events(home)).find((e) => e.type === 'service.redefined')).toMatchObject({ service: 'web', fields: ['command'] });
});

test('a service whose env was edited while no engine ran restarts under the new env; the event names the field, never a value', async () => {
  const home = tempDir();
  const tag = `env-edit-${randomUUID()}`;
  const [port, apiPort] = [await freePort(), await freePort()];
  const stack = (greeting: string) =>
    `services:\n  - name: web\n    command: ["${NODE}", "${FIXTURE}", "--port", "${port}", "--tag", "${tag}"]\n    port: ${port}\n    env: { GREETING: "${greeting}", KEPT: kept-value-77 }\n`;
  const file = writeStack(home, stack('old-value-5150'));
  const first = await serve(home, file, apiPort);
  const before = await waitFor('web running', () => running(home));
  expect(environOf(before.pid!)).toContain('GREETING=old-value-5150');
  await killEngine(first);

  writeStack(home, stack('new-value-6160'));
  await serve(home, file, apiPort);
  const after = await waitFor('web running under the new env', async () => {
    const s = await running(home);
    return s && s.pid !== before.pid && s;
  });
  expect(after.adopted).toBe(false);
  expect(processExists(before.pid!)).toBe(false);
  expect(pidsMatching(tag)).toEqual([after.pid]);
  expect(environOf(after.pid!)).toContain('GREETING=new-value-6160');

  const redefined = (await events(home)).find((e) => e.type === 'service.redefined');
  expect(redefined).toMatchObject({ service: 'web', fields: ['env.GREETING'] });
  expect(redefined!.message).toContain('env.GREETING');
  expect(redefined!.message).toContain('while Vigil was not running');
  expect(redefined!.message).not.toMatch(/value-\d+/);
  // The process records are a plain file: they keep digests of a definition, never its env.
  expect(readFileSync(path.join(home, 'processes.json'), 'utf8')).not.toMatch(/value-\d+/);
});

test('settings Vigil applies itself (health, restart, stop, logs) edited while no engine ran: the process is adopted', async () => {
  const home = tempDir();
  const [port, apiPort] = [await freePort(), await freePort()];
  const base = `services:\n  - name: web\n    command: ["${NODE}", "${FIXTURE}", "--port", "${port}"]\n    port: ${port}\n`;
  const file = writeStack(home, base);
  const first = await serve(home, file, apiPort);
  const before = await waitFor('web running', () => running(home));
  await killEngine(first);

  writeStack(
    home,
    `${base}    health: { path: /health, interval: 300ms }\n    restart: { policy: on-failure, backoff: { initial: 1s } }\n    stop: { signal: SIGINT, timeout: 2s }\n    logs: { files: 2 }\n`,
  );
  await serve(home, file, apiPort);
  const adopted = await waitFor('web adopted', () => running(home));
  expect(adopted).toMatchObject({ pid: before.pid, adopted: true });
  expect((await events(home)).filter((e) => e.type === 'service.redefined')).toEqual([]);
});

test('a record from a Vigil without definition fingerprints: the command line is compared, and the event says that is all', async () => {
  const home = tempDir();
  const [port, apiPort] = [await freePort(), await freePort()];
  const file = writeStack(home, `services:\n  - name: web\n    command: ["${NODE}", "${FIXTURE}", "--port", "${port}"]\n    port: ${port}\n    env: { MODE: one }\n`);
  const first = await serve(home, file, apiPort);
  const before = await waitFor('web running', () => running(home));
  await killEngine(first);

  // What an older Vigil wrote: pid, argv, cwd, port and start time, nothing about the rest.
  const recordsFile = path.join(home, 'processes.json');
  const records = JSON.parse(readFileSync(recordsFile, 'utf8'));
  records.web = { pid: records.web.pid, argv: records.web.argv, cwd: records.web.cwd, port: records.web.port, startedAt: records.web.startedAt };
  writeFileSync(recordsFile, JSON.stringify(records));

  await serve(home, file, apiPort);
  const adopted = await waitFor('web adopted', () => running(home));
  expect(adopted).toMatchObject({ pid: before.pid, adopted: true });
  const event = (await events(home)).find((e) => e.type === 'service.adopted');
  expect(event!.message).toContain('older Vigil');
  expect(event!.message).toMatch(/only its command line, cwd and port were compared/);
  expect((await logs(home, 'web')).map((line) => line.text).join('\n')).toMatch(/only its command line, cwd and port were compared/);
});
