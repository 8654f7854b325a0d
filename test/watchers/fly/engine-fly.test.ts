// A `fly:` section watched by a real engine: its snapshot, restarts through the engine, and the
// token kept out of everything the engine shows.
import { afterEach, expect, test } from 'vitest';
import { makeMachine, start as startFakeFly } from '../../fixtures/fake-fly-machines-api.mjs';
import { startEngine, waitFor } from '../../helpers/stack.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

test('fly: machines in the snapshot, a restart through the engine, no token anywhere', async () => {
  const token = 'fly-test-token-5c1f0e9d';
  const fly = await startFakeFly(0, { token, app: 'my-app' });
  cleanups.push(() => fly.close());
  fly.setMachines([makeMachine({ id: 'm1', name: 'one' }), makeMachine({ id: 'm2', name: 'two' })]);
  const saved = process.env.FLY_API_TOKEN;
  process.env.FLY_API_TOKEN = token;
  cleanups.push(() => {
    if (saved === undefined) delete process.env.FLY_API_TOKEN;
    else process.env.FLY_API_TOKEN = saved;
  });
  const run = await startEngine(`
services: []
fly:
  app: my-app
  api: ${fly.api}
  health_url: ${fly.healthUrl}
  interval: 100ms
`);
  cleanups.push(run.cleanup);
  const healthy = await waitFor('fly healthy', () => run.engine.snapshot().fly?.health === 'healthy' && run.engine.snapshot().fly);
  expect(healthy).toMatchObject({ app: 'my-app', mode: 'machines-api' });
  expect(healthy.machines.map((m) => m.id).sort()).toEqual(['m1', 'm2']);
  // Each poll's verdict is kept in the metrics history, like the tunnels' observations.
  const region = healthy.machines[0]!.region;
  await waitFor('fly series stored', () => run.engine.metrics.series().some((s) => s.key === 'fly_up{app="my-app"}'));
  expect(run.engine.metrics.latest().values).toMatchObject({
    'fly_up{app="my-app"}': 1,
    [`fly_machine_healthy{app="my-app",machine="one",region="${region}"}`]: 1,
  });
  const [up] = run.engine.metrics.queryMany({ series: ['fly_up'] });
  expect(up!.points.length).toBeGreaterThan(0);

  const results = await run.engine.restartFlyMachine('all');
  expect(results.map((r) => r.ok)).toEqual([true, true]);
  expect(fly.restartCalls.sort()).toEqual(['m1', 'm2']);
  await waitFor('restart events', () => run.engine.events.list().filter((e) => e.type === 'fly.restart').length === 2);

  const everything = JSON.stringify([run.engine.snapshot(), run.engine.events.list()]);
  expect(everything).not.toContain(token);
});

test('without a fly section, a Fly restart is refused plainly', async () => {
  const run = await startEngine('services: []\n');
  cleanups.push(run.cleanup);
  await expect(run.engine.restartFlyMachine('all')).rejects.toThrow('no "fly:" section');
  expect(run.engine.snapshot().fly).toBeNull();
});
