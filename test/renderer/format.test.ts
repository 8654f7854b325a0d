import { describe, expect, it } from 'vitest';
import { clockTime, eventTone, formatDuration, stateReason, stateTone, summarize, uptimeMs } from '../../src/renderer/format.ts';
import { event, service } from '../main/snapshots.ts';

describe('dashboard formatting', () => {
  it('colours states by what the user should do about them', () => {
    expect(stateTone({ state: 'running', reason: null })).toBe('ok');
    expect(stateTone({ state: 'starting', reason: null })).toBe('busy');
    expect(stateTone({ state: 'unhealthy', reason: 'hang' })).toBe('warn');
    expect(stateTone({ state: 'backoff', reason: 'crash' })).toBe('warn');
    expect(stateTone({ state: 'crash-looping', reason: 'crash' })).toBe('bad');
    expect(stateTone({ state: 'stopped', reason: 'user' })).toBe('idle');
    expect(stateTone({ state: 'stopped', reason: 'port-in-use' })).toBe('bad');
    expect(stateTone({ state: 'stopped', reason: 'dependency' })).toBe('warn');
  });

  it('colours events', () => {
    expect(eventTone(event({ type: 'service.exit' }))).toBe('bad');
    expect(eventTone(event({ type: 'service.state', from: 'starting', to: 'running' }))).toBe('ok');
    expect(eventTone(event({ type: 'settings.changed' }))).toBe('idle');
  });

  it('formats durations compactly', () => {
    expect([0, 45_000, 187_000, 7_500_000, 273_600_000].map(formatDuration)).toEqual(['0s', '45s', '3m 07s', '2h 05m', '3d 4h']);
  });

  it('has an uptime only while a process runs', () => {
    const now = Date.parse('2026-01-01T00:01:00.000Z');
    expect(uptimeMs(service('a'), now)).toBe(60_000);
    expect(uptimeMs(service('a', { state: 'stopped', pid: null }), now)).toBeNull();
    expect(uptimeMs(service('a', { startedAt: null }), now)).toBeNull();
  });

  it('labels states with their reason and sums them up', () => {
    expect(stateReason({ state: 'stopped', reason: 'user' })).toBe('user');
    expect(stateReason({ state: 'running', reason: null })).toBeNull();
    expect(summarize([{ state: 'running' }, { state: 'running' }, { state: 'stopped' }])).toBe('2 running, 1 stopped');
    expect(summarize([])).toBe('no services');
  });

  it('shows wall-clock times', () => {
    expect(clockTime(new Date(2026, 0, 1, 9, 5, 7).toISOString())).toBe('09:05:07');
    expect(clockTime('garbage')).toBe('garbage');
  });
});
