import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/shared/events.ts';
import { restartMarkers } from '../../src/renderer/metrics/restart-markers.ts';

const T0 = Date.UTC(2026, 0, 1);
let id = 0;

function at(t: number, event: Partial<EngineEvent> & Pick<EngineEvent, 'type'>): EngineEvent {
  return { id: ++id, time: new Date(T0 + t).toISOString(), service: 'api', message: '', ...event };
}

const exit = (t: number, message = 'exited with code 1 after 5s') => at(t, { type: 'service.exit', message, exitCode: 1 });
const starting = (t: number) => at(t, { type: 'service.state', from: 'backoff', to: 'starting', message: 'starting' });

describe('restart markers', () => {
  it('marks an exit and the start that followed as one restart, at the exit', () => {
    const markers = restartMarkers([exit(1000), starting(3000), at(3500, { type: 'service.state', from: 'starting', to: 'running' })], 'api', T0, T0 + 10_000);
    expect(markers).toEqual([{ t: T0 + 1000, kind: 'restart', label: 'restarted (exited with code 1 after 5s)' }]);
  });

  it('marks an exit nobody restarted, a start on its own and a new definition', () => {
    const markers = restartMarkers(
      [at(0, { type: 'service.state', from: 'stopped', to: 'starting' }), at(5000, { type: 'service.redefined', message: 'command changed' }), exit(10_000, 'stopped by user'), starting(200_000)],
      'api',
      T0,
      T0 + 300_000,
    );
    expect(markers.map((m) => [m.t - T0, m.kind, m.label])).toEqual([
      [0, 'start', 'started'],
      [5000, 'redefined', 'command changed'],
      [10_000, 'exit', 'stopped by user'],
      [200_000, 'start', 'started'],
    ]);
  });

  it('keeps to the service and the window, whatever order the events come in', () => {
    const other = at(2000, { type: 'service.exit', service: 'db', message: 'db exited' });
    const markers = restartMarkers([starting(50_000), exit(-5000), other, exit(40_000)], 'api', T0, T0 + 45_000);
    expect(markers.map((m) => [m.t - T0, m.kind])).toEqual([[40_000, 'exit']]);
  });

  it('counts an event once when it comes from a stored page and live', () => {
    const stored = exit(1000);
    expect(restartMarkers([stored, { ...stored }], 'api', T0, T0 + 10_000)).toHaveLength(1);
  });

  it('leaves out events whose time is not a date', () => {
    expect(restartMarkers([{ ...exit(0), time: 'soon' }], 'api', 0, Number.POSITIVE_INFINITY)).toEqual([]);
  });
});
