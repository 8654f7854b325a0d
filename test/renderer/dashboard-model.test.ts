import { describe, expect, it } from 'vitest';
import { applyLive, initialModel, withEvents, withState } from '../../src/renderer/dashboard-model.ts';
import { event, service, snapshot } from '../main/snapshots.ts';

describe('dashboard model', () => {
  it('takes the latest state', () => {
    const first = snapshot([service('api')]);
    const second = snapshot([service('api', { pid: 2000 })]);
    const model = applyLive(applyLive(initialModel, { kind: 'state', state: first }), { kind: 'state', state: second });
    expect(model.state).toBe(second);
  });

  it('merges events by id, oldest first, keeping the newest ones', () => {
    let model = withEvents(initialModel, [event({ id: 2, type: 'service.exit' }), event({ id: 1, type: 'config.applied' })]);
    model = applyLive(model, { kind: 'event', event: event({ id: 3, type: 'service.state' }) });
    model = withEvents(model, [event({ id: 2, type: 'service.exit' }), event({ id: 3, type: 'service.state' })]);
    expect(model.events.map((e) => e.id)).toEqual([1, 2, 3]);
    expect(withEvents(model, [event({ id: 4, type: 'service.state' })], 2).events.map((e) => e.id)).toEqual([3, 4]);
  });

  it('starts the event list over when a new engine answers (a restart of Vigil: they are fetched afresh)', () => {
    let model = withState(initialModel, snapshot([]));
    model = withEvents(model, [event({ id: 7, type: 'service.exit' })]);
    expect(withState(model, snapshot([])).events).toHaveLength(1);
    const restarted = snapshot([], { engine: { pid: 43, startedAt: '2026-01-01T01:00:00.000Z', home: '/home/me/.vigil' } });
    expect(withState(model, restarted).events).toEqual([]);
  });

  it('leaves the model as it is for a metrics tick (the charts keep their own series)', () => {
    const model = withEvents(withState(initialModel, snapshot([service('api')])), [event({ id: 1, type: 'config.applied' })]);
    expect(applyLive(model, { kind: 'metrics', tick: { t: 1000, values: { system_cpu_percent: 5 } } })).toBe(model);
  });

  it('returns the same model when there is nothing new', () => {
    expect(withEvents(initialModel, [])).toBe(initialModel);
  });
});
