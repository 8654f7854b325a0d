// Adoption with real engines: `vigil serve` is SIGKILLed (its services live on in their own
// process groups) and another one is started on the same VIGIL_HOME.
import { randomUUID } from 'node:crypto';
import { expect, test } from 'vitest';
import { FIXTURE, freePort, NODE, pidsMatching, processExists, tempDir, waitFor, writeStack } from '../helpers/stack.ts';
import { logs, serve, status } from '../helpers/vigil-serve.ts';

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
});
