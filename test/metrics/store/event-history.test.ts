import { describe, expect, test } from 'vitest';
import { MetricStore } from '../../../src/core/metrics/store/metric-store.ts';
import type { EngineEvent, ServiceState, StopReason } from '../../../src/shared/contract.ts';
import { HOUR, historyFile, MINUTE, SECOND, T0 } from './store-files.ts';

let id = 0;
const at = (t: number) => new Date(t).toISOString();
const stateEvent = (t: number, service: string, to: ServiceState, reason: StopReason | 'crash' | null = null): EngineEvent => ({
  id: ++id,
  time: at(t),
  type: 'service.state',
  service,
  message: to,
  to,
  reason,
});

function open(file: string, clock: { now: number }) {
  return MetricStore.open(file, { now: () => clock.now, commitEveryMs: 0 });
}

describe('event history', () => {
  test('events survive a restart and page back in time, newest first, never splitting a millisecond', () => {
    const file = historyFile();
    const clock = { now: T0 };
    let store = open(file, clock);
    for (let i = 0; i < 50; i++) store.appendEvent(stateEvent(T0 + Math.floor(i / 2) * SECOND, i % 2 ? 'api' : 'web', 'running'));
    store.commit();
    store.appendEvent(stateEvent(T0 + HOUR, 'api', 'unhealthy')); // not committed yet: still listed
    expect(store.events({ limit: 1 }).events.map((e) => e.event.type === 'service.state' && e.event.to)).toEqual(['unhealthy']);
    store.close();

    store = open(file, clock);
    // Two events a second: 4 asked, the 4th-newest shares its millisecond with the 5th, so both come.
    const page1 = store.events({ limit: 4 });
    expect(page1.events.map((e) => e.t)).toEqual([T0 + 23 * SECOND, T0 + 23 * SECOND, T0 + 24 * SECOND, T0 + 24 * SECOND, T0 + HOUR]);
    expect(page1.before).toBe(T0 + 23 * SECOND);

    // Paging on with `before` visits every event once.
    const seen = new Set(page1.events.map((e) => e.seq));
    let before = page1.before;
    while (before !== null) {
      const page = store.events({ before, limit: 7 });
      for (const e of page.events) {
        expect(seen.has(e.seq)).toBe(false);
        seen.add(e.seq);
      }
      before = page.before;
    }
    expect(seen.size).toBe(51);

    const api = store.events({ service: 'api', since: T0 + 20 * SECOND, limit: 100 }).events;
    expect(api.map((e) => [e.t, e.event.service])).toEqual([
      [T0 + 20 * SECOND, 'api'],
      [T0 + 21 * SECOND, 'api'],
      [T0 + 22 * SECOND, 'api'],
      [T0 + 23 * SECOND, 'api'],
      [T0 + 24 * SECOND, 'api'],
      [T0 + HOUR, 'api'],
    ]);
    expect(api.at(-1)!.event).toMatchObject({ type: 'service.state', to: 'unhealthy', service: 'api' });
    store.close();
  });

  test('an event whose time is not a date is refused with the reason', () => {
    const store = open(historyFile(), { now: T0 });
    expect(() => store.appendEvent({ ...stateEvent(T0, 'api', 'running'), time: 'yesterday' })).toThrow(/"yesterday" is not an ISO 8601 date/);
    store.close();
  });

  test('availability counts running as up, and leaves out user stops and the time no engine ran', () => {
    const file = historyFile();
    const clock = { now: T0 };
    let store = open(file, clock);
    store.recordEngineStart(T0);
    store.appendEvent(stateEvent(T0, 'api', 'starting'));
    store.appendEvent(stateEvent(T0 + 1 * MINUTE, 'api', 'running'));
    store.appendEvent(stateEvent(T0 + 31 * MINUTE, 'api', 'backoff', 'crash'));
    store.appendEvent(stateEvent(T0 + 32 * MINUTE, 'api', 'running'));
    store.appendEvent(stateEvent(T0 + 50 * MINUTE, 'api', 'stopped', 'user'));
    store.appendEvent(stateEvent(T0 + 55 * MINUTE, 'api', 'running'));
    clock.now = T0 + 60 * MINUTE;
    store.recordEngineStop(clock.now);
    store.close();

    clock.now = T0 + 90 * MINUTE; // 30 minutes without Vigil
    store = open(file, clock);
    store.recordEngineStart(clock.now);
    store.appendEvent(stateEvent(clock.now + MINUTE, 'api', 'running'));
    clock.now = T0 + 120 * MINUTE;

    const a = store.availability('api', T0, T0 + 120 * MINUTE);
    // up: 30 + 18 + 5 + 29 minutes; down: starting 1 + backoff 1; left out: 5 stopped by the
    // user, 30 without an engine, 1 after the restart before the first state.
    expect(a).toEqual({ service: 'api', from: T0, to: T0 + 120 * MINUTE, upMs: 82 * MINUTE, downMs: 2 * MINUTE, excludedMs: 36 * MINUTE, percent: (82 / 84) * 100, standing: 'up' });
    // A range that starts mid-way takes the state in force at its start; the future is not counted.
    expect(store.availability('api', T0 + 40 * MINUTE, T0 + 200 * MINUTE)).toMatchObject({ upMs: 10 * MINUTE + 5 * MINUTE + 29 * MINUTE, downMs: 0 });
    expect(store.availability('nobody', T0, T0 + HOUR).percent).toBeNull();
    store.close();
  });

  test('an engine that died without stopping is marked stopped at its last sign of life', () => {
    const file = historyFile();
    const clock = { now: T0 };
    let store = open(file, clock);
    store.recordEngineStart(T0);
    store.appendEvent(stateEvent(T0, 'api', 'running'));
    for (let s = 0; s <= 600; s += 5) store.append('system_cpu_percent', T0 + s * SECOND, 10); // samples until T0 + 10 min
    store.commit();
    // No close(), no recordEngineStop(): the process is gone (the crash test does it for real).
    clock.now = T0 + HOUR;
    store = open(file, clock);
    store.recordEngineStart(clock.now);
    const markers = store.events().events.filter((e) => e.event.type.startsWith('engine.'));
    expect(markers.map((e) => [e.event.type, e.t, e.event.type === 'engine.stop' && e.event.crashed === true])).toEqual([
      ['engine.start', T0, false],
      ['engine.stop', T0 + 10 * MINUTE, true],
      ['engine.start', T0 + HOUR, false],
    ]);
    // Up for the 10 minutes the dead engine was watching; the 50 minutes after are unknown.
    expect(store.availability('api', T0, T0 + HOUR)).toMatchObject({ upMs: 10 * MINUTE, downMs: 0, excludedMs: 50 * MINUTE, percent: 100 });
    store.close();
  });
});
