// Shared by the Fly watcher tests: recording hooks, a fast config pointed at the fake Machines API,
// and waiting on conditions (never on fixed sleeps).
import { afterEach } from 'vitest';
import { realClock } from '../../../src/core/kit/clock.ts';
import type { NewEvent } from '../../../src/core/event-log.ts';
import { type FlySpecInput, resolveFlyConfig } from '../../../src/core/watchers/fly/fly-config.ts';
import { FlyWatcher, type FlyWatcherOptions } from '../../../src/core/watchers/fly/fly-watcher.ts';
import type { SubsystemHooks } from '../../../src/core/subsystem.ts';
import { type FakeFlyMachinesApi, start } from '../../fixtures/fake-fly-machines-api.mjs';
import { waitFor as waitUntil } from '../../helpers/stack.ts';

/** Long and distinctive, so a leak anywhere is found by a plain substring search. */
export const TOKEN = 'fo1_lJPECAAAAAAAAsecretTOKENvalue0123456789abcdef';

export interface RecordingHooks extends SubsystemHooks {
  events: NewEvent[];
  changes: number;
  auto: boolean;
}

export function recordingHooks(auto = true): RecordingHooks {
  const hooks: RecordingHooks = {
    events: [],
    changes: 0,
    auto,
    clock: realClock,
    emit: (event) => hooks.events.push(event),
    changed: () => {
      hooks.changes += 1;
    },
    autoRestart: () => hooks.auto,
    restartService: () => Promise.reject(new Error('the Fly watcher must not restart stack services')),
  };
  return hooks;
}

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

export async function fakeFly(): Promise<FakeFlyMachinesApi> {
  const fake = await start(0, { token: TOKEN });
  cleanup.push(() => fake.close());
  return fake;
}

/** Polls every 50 ms; restarts after 200 ms of critical checks, at most one a minute. */
export function flyConfig(fake: FakeFlyMachinesApi, overrides: Partial<FlySpecInput> = {}) {
  return resolveFlyConfig({
    app: 'my-app',
    api: fake.api,
    health_url: fake.healthUrl,
    interval: 50,
    timeout: 300,
    restart: { after: 200, min_interval: 60_000 },
    stuck_after: 60_000,
    ...overrides,
  });
}

/** Fly's limits and a 30 s breaker would make every test take seconds; these keep the logic. */
export const FAST: Omit<FlyWatcherOptions, 'token'> = {
  rateLimit: { perSecond: 1000, burst: 1000 },
  breaker: { failures: 5, halfOpenAfterMs: 300 },
  maxBackoffMs: 1000,
};

export function watch(fake: FakeFlyMachinesApi, hooks: SubsystemHooks, options: Partial<FlyWatcherOptions> = {}, overrides: Partial<FlySpecInput> = {}): FlyWatcher {
  const watcher = new FlyWatcher(flyConfig(fake, overrides), hooks, { token: TOKEN, ...FAST, ...options });
  cleanup.push(() => watcher.stop());
  watcher.start();
  return watcher;
}

/** Conditions here change within a poll or two (50 ms): looked at every 10 ms, for 10 s at most. */
export function waitFor<T>(what: string, check: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  return waitUntil(what, check, timeoutMs, 10);
}

/** Waits until the fake has answered `n` more machine lists than it had so far. */
export async function morePolls(fake: FakeFlyMachinesApi, n = 3): Promise<void> {
  const target = fake.listCalls().length + n;
  await waitFor(`${n} more polls`, () => fake.listCalls().length >= target);
  // The last answer has to be folded in too: one more poll starting proves the previous ended.
  const after = fake.listCalls().length + 1;
  await waitFor('the poll after', () => fake.listCalls().length >= after);
}

export function eventsOf(hooks: RecordingHooks, type: NewEvent['type']): NewEvent[] {
  return hooks.events.filter((e) => e.type === type);
}

/** App-level fly.state events (not about one machine). */
export function appStates(hooks: RecordingHooks): NewEvent[] {
  return hooks.events.filter((e) => e.type === 'fly.state' && e.machine === undefined);
}
