// When the Machines API misbehaves: 429, 500, malformed JSON, no answer, a refused token. The
// watcher must say "unreachable" (or name the error) once, back off, and never leak the token.
import { describe, expect, it } from 'vitest';
import { MachinesClient } from '../../../src/core/watchers/fly/machines-client.ts';
import { manualClock } from '../../helpers/manual-clock.ts';
import { appStates, eventsOf, fakeFly, morePolls, recordingHooks, TOKEN, waitFor, watch } from './fly-helpers.ts';

/** Gaps between consecutive requests. */
const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

describe('FlyWatcher when the Machines API fails', () => {
  it('500s: unreachable after repeated failures, one event, polling backs off, recovers with one event', async () => {
    const fake = await fakeFly();
    const hooks = recordingHooks();
    const w = watch(fake, hooks);
    await waitFor('healthy', () => w.snapshot().health === 'healthy');

    const failingFrom = Date.now();
    fake.setListMode('500');
    await waitFor('unreachable', () => w.snapshot().health === 'unreachable');
    expect(w.snapshot().error).toMatch(/Fly's Machines API failed: 500 from GET http:\/\/127\.0\.0\.1:\d+\/v1\/apps\/my-app\/machines/);
    await waitFor('4 failed polls', () => fake.listCalls().filter((r) => r.time >= failingFrom).length >= 4);
    const failed = fake.listCalls().filter((r) => r.time >= failingFrom).map((r) => r.time);
    const g = gaps(failed.slice(0, 4));
    expect(g[1]!).toBeGreaterThan(g[0]!); // each wait longer than the one before
    expect(g[2]!).toBeGreaterThan(g[1]!);
    // Machines keep their last known verdict; the app says it cannot see them.
    expect(w.snapshot().machines).toHaveLength(2);

    fake.setListMode('ok');
    await waitFor('healthy again', () => w.snapshot().health === 'healthy');
    expect(w.snapshot().error).toBeNull();
    expect(appStates(hooks).map((e) => e.message.split(' (')[0])).toEqual([
      'Fly app my-app is healthy',
      'Fly app my-app is unreachable: Vigil cannot reach Fly',
      'Fly app my-app is healthy',
    ]);
    expect(appStates(hooks)[1]!.message).toMatch(/this says nothing about the app itself/);
  });

  it('a flapping network (every other poll fails) yields no event storm', async () => {
    const fake = await fakeFly();
    const hooks = recordingHooks();
    const w = watch(fake, hooks);
    await waitFor('healthy', () => w.snapshot().health === 'healthy');
    fake.setListMode('flap');
    await morePolls(fake, 10);
    // One failed poll at a time is noise, not "unreachable": no state events beyond the first.
    expect(appStates(hooks)).toHaveLength(1);
    expect(w.snapshot().health).toBe('healthy');
    // Then a real outage: one event for it, however many polls it lasts.
    fake.setListMode('500');
    await waitFor('unreachable', () => w.snapshot().health === 'unreachable');
    await morePolls(fake, 3);
    expect(appStates(hooks)).toHaveLength(2);
  });

  it('429: keeps the last verdict, says it is rate limited, and waits at least Retry-After', async () => {
    const fake = await fakeFly();
    const hooks = recordingHooks();
    const w = watch(fake, hooks);
    await waitFor('healthy', () => w.snapshot().health === 'healthy');
    fake.setListMode('429', { retryAfter: 1 });
    await waitFor('rate-limit error', () => w.snapshot().error);
    expect(w.snapshot().error).toMatch(/rate limiting Vigil \(429 .*\); Fly asks to wait 1(\.0)?s/);
    const limited = fake.listCalls().at(-1)!.time;
    await waitFor('the next poll', () => fake.listCalls().at(-1)!.time > limited);
    expect(fake.listCalls().at(-1)!.time - limited).toBeGreaterThanOrEqual(950);
    expect(w.snapshot().health).toBe('healthy');
    expect(appStates(hooks)).toHaveLength(1);
    fake.setListMode('ok');
    await waitFor('error cleared', () => w.snapshot().error === null);
  });

  it('malformed JSON: a clear error, then unreachable, one event', async () => {
    const fake = await fakeFly();
    fake.setListMode('malformed');
    const hooks = recordingHooks();
    const w = watch(fake, hooks);
    await waitFor('unreachable', () => w.snapshot().health === 'unreachable');
    expect(w.snapshot().error).toMatch(/answered with something that is not JSON .*\[\{"id"/);
    await morePolls(fake, 2);
    expect(appStates(hooks)).toHaveLength(1);

    fake.setListMode('not-a-list');
    await waitFor('not-a-list error', () => /JSON that is not a list of machines/.test(w.snapshot().error ?? ''));
    expect(appStates(hooks)).toHaveLength(1);
  });

  it('no answer: times out, unreachable, one event', async () => {
    const fake = await fakeFly();
    fake.setListMode('hang');
    const hooks = recordingHooks();
    const w = watch(fake, hooks);
    await waitFor('unreachable', () => w.snapshot().health === 'unreachable');
    expect(w.snapshot().error).toMatch(/did not answer within 300ms \(GET http:\/\/127\.0\.0\.1/);
    await waitFor('a third timed-out poll', () => fake.listCalls().length >= 3);
    expect(appStates(hooks)).toHaveLength(1);
  });

  it('nothing listening: unreachable with the reason', async () => {
    const fake = await fakeFly();
    const hooks = recordingHooks();
    const w = watch(fake, hooks);
    await waitFor('healthy', () => w.snapshot().health === 'healthy');
    await fake.close();
    await waitFor('unreachable', () => w.snapshot().health === 'unreachable');
    expect(w.snapshot().error).toMatch(/could not reach Fly's Machines API at http:\/\/127\.0\.0\.1:\d+\/v1 \(ECONNREFUSED\)/);
  });

  it('401: says the token was refused, once, and does not call it unreachable', async () => {
    const fake = await fakeFly();
    fake.setListMode('401');
    const hooks = recordingHooks();
    const w = watch(fake, hooks);
    await waitFor('the error', () => w.snapshot().error);
    await morePolls(fake, 2);
    const snap = w.snapshot();
    expect(snap.health).toBe('unknown');
    expect(snap.error).toMatch(/^the Fly token was refused \(check FLY_API_TOKEN\): 401 from GET /);
    expect(appStates(hooks)).toHaveLength(1);
    expect(appStates(hooks)[0]!.message).toMatch(/the Fly token was refused \(check FLY_API_TOKEN\)/);
  });

  it('never lets the token out: events, snapshot, errors and restart results', async () => {
    const fake = await fakeFly();
    fake.state.echoAuth = true; // 500 bodies repeat the Authorization header back
    const hooks = recordingHooks(true);
    const w = watch(fake, hooks);
    await waitFor('healthy', () => w.snapshot().health === 'healthy');
    fake.setChecks('critical', fake.machines[0]!.id);
    fake.setRestartMode('500');
    await waitFor('failed auto-restart', () => eventsOf(hooks, 'fly.restart').length === 1);
    const manual = await w.restartMachine('all');
    expect(manual.some((r) => !r.ok)).toBe(true);
    fake.setListMode('500');
    await waitFor('unreachable', () => w.snapshot().health === 'unreachable');
    fake.setListMode('401');
    await waitFor('token refused', () => /token was refused/.test(w.snapshot().error ?? ''));

    // The fake really did echo it, so redaction was put to work.
    expect(eventsOf(hooks, 'fly.restart')[0]!.message).toMatch(/Authorization: Bearer \[redacted\]/);
    const everything = JSON.stringify({ events: hooks.events, snapshot: w.snapshot(), manual });
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(TOKEN.slice(8, 30));
  });
});

describe('MachinesClient', () => {
  it('opens the circuit after repeated failed restarts instead of calling Fly again', async () => {
    const fake = await fakeFly();
    fake.setRestartMode('500');
    const client = new MachinesClient({ api: fake.api, app: 'my-app', token: TOKEN, timeoutMs: 500, rateLimit: { perSecond: 1000, burst: 1000 }, breaker: { failures: 3, halfOpenAfterMs: 60_000 } });
    const id = fake.machines[0]!.id;
    for (let i = 0; i < 3; i++) await expect(client.restartMachine(id)).rejects.toMatchObject({ kind: 'server', status: 500 });
    expect(client.circuit).toBe('open');
    const posts = fake.requests.filter((r) => r.method === 'POST').length;
    await expect(client.restartMachine(id)).rejects.toMatchObject({ kind: 'circuit-open', rootKind: 'server' });
    await expect(client.listMachines()).rejects.toThrow(/Vigil paused calls to Fly's Machines API after 3 failures in a row; it tries again in .* \(last error: Fly's Machines API failed: 500/);
    expect(fake.requests.filter((r) => r.method === 'POST').length).toBe(posts);
  });

  it('half-opens after the pause and closes on success', async () => {
    const fake = await fakeFly();
    fake.setListMode('500');
    const client = new MachinesClient({ api: fake.api, app: 'my-app', token: TOKEN, timeoutMs: 500, rateLimit: { perSecond: 1000, burst: 1000 }, breaker: { failures: 2, halfOpenAfterMs: 100 } });
    await expect(client.listMachines()).rejects.toMatchObject({ kind: 'server' });
    await expect(client.listMachines()).rejects.toMatchObject({ kind: 'server' });
    expect(client.circuit).toBe('open');
    fake.setListMode('ok');
    await waitFor('half-open', async () => (await client.listMachines().catch(() => null))?.length === 2);
    expect(client.circuit).toBe('closed');
  });

  it('maps a 404 for an unknown app or machine without counting it against the breaker', async () => {
    const fake = await fakeFly();
    const client = new MachinesClient({ api: fake.api, app: 'other-app', token: TOKEN, timeoutMs: 500, rateLimit: { perSecond: 1000, burst: 1000 }, breaker: { failures: 1, halfOpenAfterMs: 60_000 } });
    await expect(client.listMachines()).rejects.toThrow(/Fly has no app "other-app" \(or the token cannot see it\): 404/);
    expect(client.circuit).toBe('closed');
    const mine = new MachinesClient({ api: fake.api, app: 'my-app', token: TOKEN, timeoutMs: 500, rateLimit: { perSecond: 1000, burst: 1000 } });
    await expect(mine.restartMachine('nope')).rejects.toThrow(/Fly has no machine "nope" in app "my-app": 404/);
  });

  it('keeps to the rate limit: a burst goes out at once, the rest wait their turn', async () => {
    const fake = await fakeFly();
    // The bucket's time is the client's clock: moved by hand here, and each restart's sending
    // noted on it, so no gap is measured in wall-clock time on a busy machine.
    const clock = manualClock();
    const start = clock.now();
    const sentAt: number[] = [];
    const noteSending: typeof fetch = (input, init) => {
      if (init?.method === 'POST') sentAt.push(clock.now() - start);
      return fetch(input, init);
    };
    const client = new MachinesClient({ api: fake.api, app: 'my-app', token: TOKEN, timeoutMs: 2000, rateLimit: { perSecond: 10, burst: 3 }, clock, fetch: noteSending });
    const id = fake.machines[0]!.id;
    const restarts = Array.from({ length: 5 }, () => client.restartMachine(id));
    await Promise.all(restarts.slice(0, 3));
    clock.advance(100);
    await restarts[3];
    clock.advance(100);
    await restarts[4];
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(5);
    // The 4th and 5th went out a token's refill (100 ms) apart from the burst, not with it.
    expect(sentAt).toEqual([0, 0, 0, 100, 200]);
  });
});
