// The Fly watcher with a token, against the fake Machines API on a loopback port: health from
// machines and checks, auto-restart and its limits, deploys and the call-out that follows one.
import { describe, expect, it } from 'vitest';
import { appStates, eventsOf, fakeFly, morePolls, recordingHooks, waitFor, watch } from './fly-helpers.ts';

describe('FlyWatcher (Machines API)', () => {
  it('reads every machine and calls a fully passing app healthy, with one event', async () => {
    const fake = await fakeFly();
    const hooks = recordingHooks();
    const w = watch(fake, hooks);
    expect(w.snapshot()).toMatchObject({ app: 'my-app', health: 'unknown', mode: 'machines-api', machines: [] });

    await waitFor('healthy', () => w.snapshot().health === 'healthy');
    await morePolls(fake);
    const snap = w.snapshot();
    expect(snap.error).toBeNull();
    expect(snap.lastPollAt).not.toBeNull();
    expect(snap.machines).toHaveLength(2);
    expect(snap.machines[0]).toMatchObject({
      id: fake.machines[0]!.id,
      name: fake.machines[0]!.name,
      machineState: 'started',
      health: 'healthy',
      region: 'ord',
      instanceId: fake.machines[0]!.instance_id,
      checks: [{ name: 'servicecheck-00-http-8080', status: 'passing', output: 'Success' }],
      lastRestartAt: null,
    });
    expect(snap.machines[0]!.image).toMatch(/^my-app:deployment-01@sha256:1111/);
    expect(appStates(hooks).map((e) => e.message)).toEqual(['Fly app my-app is healthy (2 machines healthy)']);
    expect(fake.requests.every((r) => r.authorized)).toBe(true);
    expect(hooks.changes).toBeGreaterThan(0);
  });

  it('goes degraded when one machine\'s checks go critical, then restarts it after restart.after, once per min_interval', async () => {
    const fake = await fakeFly();
    const hooks = recordingHooks(true);
    const w = watch(fake, hooks);
    await waitFor('healthy', () => w.snapshot().health === 'healthy');
    const sick = fake.machines[0]!;

    const criticalAt = Date.now();
    fake.setChecks('critical', sick.id);
    await waitFor('degraded', () => w.snapshot().health === 'degraded');
    expect(w.snapshot().machines.find((m) => m.id === sick.id)!.health).toBe('down'); // its only check is critical
    const machineEvent = hooks.events.find((e) => e.type === 'fly.state' && e.machine === sick.id);
    expect(machineEvent?.message).toMatch(/is down: every check critical \(servicecheck-00-http-8080 critical\)/);

    await waitFor('a restart', () => fake.restartCalls.length === 1);
    expect(Date.now() - criticalAt).toBeGreaterThanOrEqual(200); // not before restart.after
    expect(fake.restartCalls).toEqual([sick.id]);
    await waitFor('the restart event', () => eventsOf(hooks, 'fly.restart').length === 1);
    const restart = eventsOf(hooks, 'fly.restart')[0]!;
    expect(restart).toMatchObject({ machine: sick.id, reason: 'auto' });
    expect(restart.message).toMatch(/Vigil restarted Fly machine .* its checks were critical for .* and auto-restart is on/);
    await waitFor('lastRestartAt', () => w.snapshot().machines.find((m) => m.id === sick.id)!.lastRestartAt);

    // The machine stays critical: well past restart.after again, still one restart (min_interval 1m).
    await morePolls(fake, 10);
    expect(fake.restartCalls).toEqual([sick.id]);
    expect(eventsOf(hooks, 'fly.restart')).toHaveLength(1);
    // And only one app event for the change, not one per poll.
    expect(appStates(hooks).map((e) => e.message)).toEqual(['Fly app my-app is healthy (2 machines healthy)', expect.stringMatching(/is degraded \(aged-wind-\d+ down\)/)]);
  });

  it('calls the app down when every machine is down, and back healthy when checks recover', async () => {
    const fake = await fakeFly();
    const hooks = recordingHooks(false);
    const w = watch(fake, hooks);
    await waitFor('healthy', () => w.snapshot().health === 'healthy');
    fake.setChecks('critical');
    await waitFor('down', () => w.snapshot().health === 'down');
    fake.setChecks('warning');
    await waitFor('degraded', () => w.snapshot().health === 'degraded');
    fake.setChecks('passing');
    await waitFor('healthy again', () => w.snapshot().health === 'healthy');
    expect(appStates(hooks).map((e) => e.message.split(' (')[0])).toEqual([
      'Fly app my-app is healthy',
      'Fly app my-app is down',
      'Fly app my-app is degraded',
      'Fly app my-app is healthy',
    ]);
  });

  it('never restarts while auto-restart is off, and does once it is switched on', async () => {
    const fake = await fakeFly();
    const hooks = recordingHooks(false);
    const w = watch(fake, hooks);
    await waitFor('healthy', () => w.snapshot().health === 'healthy');
    const criticalAt = Date.now();
    fake.setChecks('critical');
    // Wait for several polls that came after restart.after had passed.
    await waitFor('polls past restart.after', () => fake.listCalls().filter((r) => r.time > criticalAt + 200).length >= 5);
    await morePolls(fake, 1);
    expect(fake.restartCalls).toEqual([]);
    expect(eventsOf(hooks, 'fly.restart')).toEqual([]);

    hooks.auto = true;
    await waitFor('restarts of both machines', () => fake.restartCalls.length === 2);
    expect(new Set(fake.restartCalls)).toEqual(new Set(fake.machines.map((m) => m.id)));
  });

  it('reports a failed restart once and does not retry it in a loop', async () => {
    const fake = await fakeFly();
    fake.setRestartMode('500');
    const hooks = recordingHooks(true);
    const w = watch(fake, hooks);
    await waitFor('healthy', () => w.snapshot().health === 'healthy');
    fake.setChecks('critical', fake.machines[0]!.id);
    await waitFor('the failed restart event', () => eventsOf(hooks, 'fly.restart').length === 1);
    expect(eventsOf(hooks, 'fly.restart')[0]!.message).toMatch(/could not restart Fly machine .*500/);
    await morePolls(fake, 8);
    const restartPosts = fake.requests.filter((r) => r.method === 'POST');
    expect(restartPosts).toHaveLength(1);
    expect(eventsOf(hooks, 'fly.restart')).toHaveLength(1);
  });

  it('restarts a machine by id or name, or all of them, when asked', async () => {
    const fake = await fakeFly();
    const hooks = recordingHooks(false);
    const w = watch(fake, hooks);
    await waitFor('machines', () => w.snapshot().machines.length === 2);
    const [a, b] = fake.machines;

    expect(await w.restartMachine(a!.name)).toEqual([{ machine: a!.id, name: a!.name, ok: true, error: null }]);
    expect(fake.restartCalls).toEqual([a!.id]);
    const all = await w.restartMachine('all');
    expect(all.map((r) => r.ok)).toEqual([true, true]);
    expect(fake.restartCalls.slice(1).sort()).toEqual([a!.id, b!.id].sort());
    expect(eventsOf(hooks, 'fly.restart').map((e) => e.reason)).toEqual(['manual', 'manual', 'manual']);
    expect(eventsOf(hooks, 'fly.restart')[0]!.message).toMatch(/asked by the user/);

    await expect(w.restartMachine('nope')).rejects.toThrow(/no machine "nope" in Fly app "my-app"; its machines: aged-wind-/);
  });

  it('turns an image digest change into one deploy event, and calls out checks failing after it', async () => {
    const fake = await fakeFly();
    const hooks = recordingHooks(false);
    const w = watch(fake, hooks);
    await waitFor('healthy', () => w.snapshot().health === 'healthy');
    await morePolls(fake, 2);
    expect(eventsOf(hooks, 'fly.deploy')).toEqual([]); // the first poll is a baseline, not a deploy

    const digest = `sha256:${'2'.repeat(64)}`;
    fake.deploy(digest);
    await waitFor('deploy event', () => eventsOf(hooks, 'fly.deploy').length === 1);
    await morePolls(fake, 3);
    const deploys = eventsOf(hooks, 'fly.deploy');
    expect(deploys).toHaveLength(1);
    expect(deploys[0]!.message).toMatch(new RegExp(`Fly app my-app was deployed: aged-wind-\\d+, aged-wind-\\d+ now run my-app:deployment-2222@${digest}`));
    expect(deploys[0]!.reason).toBe(digest);
    expect(w.snapshot().lastDeployAt).not.toBeNull();

    fake.setChecks('critical', fake.machines[1]!.id);
    await waitFor('degraded', () => w.snapshot().health === 'degraded');
    const degraded = appStates(hooks).at(-1)!;
    expect(degraded.message).toMatch(/is degraded .*checks failing \d+m after the deploy at \d{4}-\d\d-\d\dT/);
    expect(degraded.reason).toMatch(/the deploy at /);
  });

  it('says "since the deploy" when the deploy brings failing checks with it', async () => {
    const fake = await fakeFly();
    const hooks = recordingHooks(false);
    const w = watch(fake, hooks);
    await waitFor('healthy', () => w.snapshot().health === 'healthy');
    fake.deploy(`sha256:${'3'.repeat(64)}`, fake.machines[0]!.id);
    fake.setChecks('critical', fake.machines[0]!.id);
    await waitFor('degraded', () => w.snapshot().health === 'degraded');
    expect(eventsOf(hooks, 'fly.deploy')).toHaveLength(1);
    expect(eventsOf(hooks, 'fly.deploy')[0]!.machine).toBe(fake.machines[0]!.id);
    expect(appStates(hooks).at(-1)!.message).toMatch(/checks failing since the deploy at /);
    // The call-out comes once per deploy.
    await morePolls(fake, 3);
    expect(hooks.events.filter((e) => /the deploy at/.test(e.message))).toHaveLength(1);
  });

  it('calls a machine stuck when it stays in a transient state longer than stuck_after', async () => {
    const fake = await fakeFly();
    const hooks = recordingHooks(false);
    const w = watch(fake, hooks, {}, { stuck_after: 150 });
    await waitFor('healthy', () => w.snapshot().health === 'healthy');
    fake.setState(fake.machines[0]!.id, 'starting');
    await waitFor('stuck', () => w.snapshot().health === 'stuck');
    expect(w.snapshot().machines[0]!.health).toBe('stuck');
    expect(hooks.events.some((e) => e.machine === fake.machines[0]!.id && /is stuck: starting for too long/.test(e.message))).toBe(true);
  });
});
