import { describe, expect, test } from 'vitest';
import type { ServiceState } from '../../../src/shared/contract.ts';
import { type AvailabilityTransition, availabilityOf } from '../../../src/core/metrics/store/availability.ts';
import { MINUTE } from './store-files.ts';

const state = (t: number, to: ServiceState, reason: string | null = null): AvailabilityTransition => ({ t, kind: 'state', to, reason });
const start = (t: number): AvailabilityTransition => ({ t, kind: 'engine.start' });
const stop = (t: number): AvailabilityTransition => ({ t, kind: 'engine.stop' });

describe('availability', () => {
  test('up is running; every other state is down', () => {
    const a = availabilityOf([start(0), state(0, 'starting'), state(1 * MINUTE, 'running'), state(7 * MINUTE, 'backoff'), state(8 * MINUTE, 'running')], 0, 10 * MINUTE);
    expect(a).toEqual({ upMs: 8 * MINUTE, downMs: 2 * MINUTE, excludedMs: 0, percent: 80, standing: 'up' });
  });

  test('unhealthy, crash-looping and a stop after a crash count as down', () => {
    const a = availabilityOf(
      [state(0, 'running'), state(10, 'unhealthy'), state(20, 'crash-looping'), state(30, 'stopped', 'exit'), state(40, 'stopped', 'port-in-use'), state(50, 'running')],
      0,
      100,
    );
    expect(a).toMatchObject({ upMs: 60, downMs: 40, excludedMs: 0, percent: 60 });
  });

  test("a stop the user asked for, and a removed service, count neither way", () => {
    const a = availabilityOf([state(0, 'running'), state(30, 'stopped', 'user'), state(60, 'running'), state(80, 'stopped', 'removed')], 0, 100);
    expect(a).toEqual({ upMs: 50, downMs: 0, excludedMs: 50, percent: 100, standing: 'excluded' });
  });

  test('before the first transition nothing is known', () => {
    const a = availabilityOf([state(40, 'running'), state(90, 'starting')], 0, 100);
    expect(a).toEqual({ upMs: 50, downMs: 10, excludedMs: 40, percent: (50 / 60) * 100, standing: 'down' });
  });

  test('while no engine ran, and from an engine start until the first state, nothing is known', () => {
    const transitions = [start(0), state(0, 'running'), stop(100), start(300), state(310, 'starting'), state(320, 'running')];
    expect(availabilityOf(transitions, 0, 400)).toEqual({ upMs: 100 + 80, downMs: 10, excludedMs: 200 + 10, percent: (180 / 190) * 100, standing: 'up' });
  });

  test('transitions before the range set the state at its start; those after it are ignored', () => {
    const a = availabilityOf([state(-500, 'running'), state(50, 'unhealthy'), state(150, 'running')], 0, 100);
    expect(a).toMatchObject({ upMs: 50, downMs: 50, excludedMs: 0, percent: 50 });
  });

  test('no counted time gives a null percent, not 0 or 100', () => {
    expect(availabilityOf([], 0, 100)).toEqual({ upMs: 0, downMs: 0, excludedMs: 100, percent: null, standing: 'excluded' });
    expect(availabilityOf([state(0, 'stopped', 'user')], 0, 100).percent).toBeNull();
  });

  test('transitions given out of order are put in time order first', () => {
    const ordered = [state(0, 'running'), state(60, 'backoff'), state(70, 'running')];
    expect(availabilityOf([ordered[2]!, ordered[0]!, ordered[1]!], 0, 100)).toEqual(availabilityOf(ordered, 0, 100));
  });
});
