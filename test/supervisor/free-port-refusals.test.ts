// `vigil free-port` and POST /api/ports/:port/free stop whatever holds a port, on request. Two
// holders are not theirs to stop: Vigil's engine itself (its own API port), and a service
// Vigil supervises (that is `vigil stop`'s job). Against a real `vigil serve` process, so
// that the bug this guards against would kill that process, not the test runner.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { StateSnapshot } from '../../src/shared/contract.ts';
import { type ServeProcess, startServe } from '../e2e/serve-process.ts';
import { waitFor } from '../helpers/stack.ts';
import { vigil } from '../helpers/vigil-serve.ts';

let serve: ServeProcess;
beforeAll(async () => {
  serve = await startServe();
  await waitFor('both services running', async () => (await serve.api<StateSnapshot>('GET', '/api/state')).services.every((s) => s.state === 'running'));
}, 60_000);
afterAll(async () => {
  await serve?.stop();
});

async function post(route: string): Promise<{ status: number; error: string }> {
  const res = await fetch(serve.base + route, { method: 'POST', headers: { authorization: `Bearer ${serve.token}` } });
  return { status: res.status, error: ((await res.json()) as { error?: string }).error ?? '' };
}

test("freeing the API's own port is refused with a 409, and Vigil keeps running", async () => {
  const before = await serve.api<StateSnapshot>('GET', '/api/state');
  const answer = await post(`/api/ports/${serve.port}/free`);
  expect(answer.status).toBe(409);
  expect(answer.error).toContain(`port ${serve.port} is Vigil's own API (pid ${before.engine.pid})`);
  const cli = await vigil(serve.home, ['free-port', String(serve.port), '--yes']);
  expect(cli.code).not.toBe(0);
  expect(cli.stderr).toContain("Vigil's own API");
  expect(serve.child.exitCode).toBeNull();
  const after = await serve.api<StateSnapshot>('GET', '/api/state');
  expect(after.engine.pid).toBe(before.engine.pid);
  expect(after.services.map((s) => [s.name, s.state, s.pid])).toEqual(before.services.map((s) => [s.name, s.state, s.pid]));
});

test('freeing a supervised service\'s port is refused with a 409 that points at "vigil stop"', async () => {
  const before = await serve.api<StateSnapshot>('GET', '/api/state');
  const alpha = before.services.find((s) => s.name === 'alpha')!;
  const answer = await post(`/api/ports/${serve.ports[0]}/free`);
  expect(answer.status).toBe(409);
  expect(answer.error).toContain('vigil stop alpha');
  const after = await serve.api<StateSnapshot>('GET', '/api/state');
  expect(after.services.find((s) => s.name === 'alpha')).toMatchObject({ state: 'running', pid: alpha.pid });
});
