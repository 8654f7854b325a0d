// Without a token the watcher can only poll the app's health URL, and says once why that is
// second best (it wakes stopped machines).
import { describe, expect, it } from 'vitest';
import { appStates, fakeFly, recordingHooks, waitFor, watch } from './fly-helpers.ts';

describe('FlyWatcher without a token (health URL)', () => {
  it('polls the health URL only, warns once, and follows its status', async () => {
    const fake = await fakeFly();
    const hooks = recordingHooks();
    const w = watch(fake, hooks, { token: null });
    expect(w.snapshot()).toMatchObject({ mode: 'health-url', healthUrl: fake.healthUrl, machines: [] });
    await waitFor('healthy', () => w.snapshot().health === 'healthy');

    const warnings = hooks.events.filter((e) => e.reason === 'no-token');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.type).toBe('fly.state');
    expect(warnings[0]!.message).toMatch(/No FLY_API_TOKEN: Vigil polls http:\/\/127\.0\.0\.1:\d+\/health only\. With auto_start_machines .* wakes stopped machines/);

    fake.setHealth(503);
    await waitFor('down', () => w.snapshot().health === 'down');
    expect(appStates(hooks).at(-1)!.message).toMatch(/is down \(http:\/\/127\.0\.0\.1:\d+\/health answered 503\)/);
    fake.setHealth(200, 'hang');
    await waitFor('unreachable', () => w.snapshot().health === 'unreachable');
    expect(w.snapshot().error).toMatch(/did not answer within 300ms/);
    fake.setHealth(200);
    await waitFor('healthy again', () => w.snapshot().health === 'healthy');

    // Restarting w/o a token is refused with what to do; the Machines API was never called.
    await expect(w.restartMachine('all')).rejects.toThrow(/needs the Machines API: set FLY_API_TOKEN/);
    expect(fake.requests.filter((r) => r.path.startsWith('/v1/'))).toEqual([]);
    // start() again (e.g. after a config reload) does not repeat the warning.
    w.start();
    expect(hooks.events.filter((e) => e.reason === 'no-token')).toHaveLength(1);
  });

  it('an empty token counts as none', async () => {
    const fake = await fakeFly();
    const w = watch(fake, recordingHooks(), { token: '  ' });
    expect(w.snapshot().mode).toBe('health-url');
  });
});
