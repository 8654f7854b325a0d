// Snapshot builders for the tests of the pure main-process functions.
import type { EngineEvent, ServiceSnapshot, StateSnapshot } from '../../src/shared/contract.ts';

export function service(name: string, overrides: Partial<ServiceSnapshot> = {}): ServiceSnapshot {
  return {
    name,
    file: '/stack/vigil.yml',
    state: 'running',
    reason: null,
    error: null,
    pid: 1000,
    port: 5000,
    watchOnly: false,
    adopted: false,
    restarts: 0,
    autoRestart: true,
    autoRestartOverride: null,
    startedAt: '2026-01-01T00:00:00.000Z',
    nextStartAt: null,
    lastExit: null,
    lastIncident: null,
    healthy: true,
    dependsOn: [],
    ...overrides,
  };
}

export function snapshot(services: ServiceSnapshot[], overrides: Partial<StateSnapshot> = {}): StateSnapshot {
  return {
    version: '0.1.0',
    engine: { pid: 42, startedAt: '2026-01-01T00:00:00.000Z', home: '/home/me/.vigil' },
    autoRestart: true,
    demo: false,
    files: [{ file: '/stack/vigil.yml', error: null }],
    services,
    tunnels: [],
    fly: null,
    metrics: {
      history: { writing: true, reason: null, sizeBytes: 0, since: null },
      sampling: { intervalMs: 10_000, active: false },
      system: {},
      services: {},
    },
    ...overrides,
  };
}

export function event(overrides: Partial<EngineEvent> & Pick<EngineEvent, 'type'>): EngineEvent {
  return { id: 1, time: '2026-01-01T00:00:05.000Z', service: 'api', message: '', ...overrides };
}
