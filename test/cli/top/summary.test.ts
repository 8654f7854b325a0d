import { describe, expect, it } from 'vitest';
import { topSummary } from '../../../src/cli/top/summary.ts';
import { NOW, service, topModel } from './top-fixtures.ts';

describe('vigil top --summary', () => {
  it('one object: services with live figures, the machine by series key, history status', () => {
    const model = topModel([service('api', { pid: 4242, restarts: 2 }), service('db', { state: 'stopped', reason: 'user', pid: null, startedAt: null })]);
    const summary = topSummary(model.dashboard.state!, model.samples, NOW, 15_000);
    expect(summary).toMatchObject({
      time: '2026-01-01T01:00:00.000Z',
      version: '0.1.0',
      engine: { pid: 42, uptimeSeconds: 3600 },
      autoRestart: true,
      tunnels: [],
      fly: null,
      history: { writing: true, reason: null, sizeBytes: 12_345_678 },
      sampling: { intervalMs: 1000, active: true },
    });
    expect(summary.system['system_disk_used_percent{mount="/data"}']).toBe(87.5);
    expect(summary.services[0]).toEqual({
      name: 'api',
      state: 'running',
      reason: null,
      pid: 4242,
      cpuPercent: 60, // the latest tick, fresher than the snapshot's 1 %
      rssBytes: 150 * 1024 ** 2,
      threads: 7,
      restarts: 2,
      uptimeSeconds: 3600,
      healthy: true,
      healthLatencyMs: 12,
      availability: { day: 99.95, week: 99.5 },
    });
    // A stopped service has no usage, whatever was sampled before it stopped.
    expect(summary.services[1]).toMatchObject({ name: 'db', state: 'stopped', reason: 'user', cpuPercent: null, rssBytes: null, uptimeSeconds: null });
  });

  it('from a tick older than "current", the snapshot figures are used', () => {
    const model = topModel([service('api')]);
    const later = NOW + 60_000;
    expect(topSummary(model.dashboard.state!, model.samples, later, 15_000).services[0]).toMatchObject({ cpuPercent: 1, rssBytes: 100 * 1024 ** 2, healthLatencyMs: null });
  });
});
