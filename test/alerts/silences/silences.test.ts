// Silences, the pause and quiet hours: what they match, when they start and end.
import { describe, expect, it } from 'vitest';
import { resolveAlertFlowConfig, alertFlowSchema } from '../../../src/core/alerts/config/route-config.ts';
import { inQuietHours, localMinuteOfDay, quietAllows } from '../../../src/core/alerts/silences/quiet-hours.ts';
import { describeMatcher, parseMatcher, silenceMatches } from '../../../src/core/alerts/silences/silence-matcher.ts';
import { activeSilences, applySilenceOps, EMPTY_SILENCES, expireSilences, isPaused, silencesMuting } from '../../../src/core/alerts/silences/silences.ts';
import { T0 } from '../flow/flow-driver.ts';

const alert = (rule: string, labels: Record<string, string>) => ({ rule, labels: { alertname: rule, ...labels } });

describe('silence matchers', () => {
  it('match by rule, by service, by labels, all given fields at once', () => {
    const crash = alert('service-crashed', { service: 'server' });
    const tunnel = alert('tunnel-down', { tunnel: 'public' });
    expect(silenceMatches({ rule: 'service-crashed' }, crash)).toBe(true);
    expect(silenceMatches({ service: 'server' }, crash)).toBe(true);
    expect(silenceMatches({ service: 'runner' }, crash)).toBe(false);
    expect(silenceMatches({ labels: { tunnel: 'public' } }, tunnel)).toBe(true);
    expect(silenceMatches({ rule: 'service-crashed', service: 'runner' }, crash)).toBe(false);
    expect(silenceMatches({ service: 'server' }, tunnel)).toBe(false);
  });

  it('read and print the CLI form', () => {
    expect(parseMatcher('server')).toEqual({ service: 'server' });
    expect(parseMatcher('rule=cpu-high, service=server,mount=/')).toEqual({ rule: 'cpu-high', service: 'server', labels: { mount: '/' } });
    expect(describeMatcher(parseMatcher('rule=cpu-high,tunnel=public'))).toBe('rule=cpu-high,tunnel=public');
    expect(() => parseMatcher('')).toThrow(/needs a rule, a service or a label.*pause alerts instead/);
    expect(() => parseMatcher('service=')).toThrow('expected name=value in the matcher, got "service="');
  });
});

describe('silences and the pause', () => {
  it('add, mute from their start until their end, then expire', () => {
    const added = applySilenceOps(EMPTY_SILENCES, [
      { op: 'add', matcher: { service: 'server' }, durationMs: 3_600_000, createdBy: 'cli', comment: 'deploying' },
      { op: 'add', matcher: { rule: 'cpu-high' }, startsAt: T0 + 600_000, endsAt: T0 + 1_200_000, createdBy: 'dashboard' },
    ], T0);
    expect(added.rejected).toEqual([]);
    const [deploy, later] = added.state.silences;
    expect(deploy).toEqual({ id: `s-${T0.toString(36)}-0`, matcher: { service: 'server' }, startsAt: new Date(T0).toISOString(), endsAt: new Date(T0 + 3_600_000).toISOString(), createdBy: 'cli', comment: 'deploying' });
    const cpuOnServer = alert('cpu-high', { service: 'server' });
    expect(silencesMuting(activeSilences(added.state, T0), cpuOnServer)).toEqual([deploy!.id]);
    expect(silencesMuting(activeSilences(added.state, T0 + 700_000), cpuOnServer)).toEqual([deploy!.id, later!.id]);
    const expired = expireSilences(added.state, T0 + 1_200_000);
    expect(expired.changes).toEqual([{ kind: 'silence-expired', silence: later }]);
    expect(expireSilences(expired.state, T0 + 1_300_000).changes).toEqual([]);
    expect(expireSilences(expired.state, T0 + 3_600_000).state.silences).toEqual([]);
  });

  it('refuses a silence that matches everything, has no end or ended, and removing one that is not there', () => {
    const out = applySilenceOps(EMPTY_SILENCES, [
      { op: 'add', matcher: {}, durationMs: 1000, createdBy: 'cli' },
      { op: 'add', matcher: { service: 'server' }, createdBy: 'cli' },
      { op: 'add', matcher: { service: 'server' }, endsAt: T0 - 1, createdBy: 'cli' },
      { op: 'remove', id: 's-nope' },
    ], T0);
    expect(out.state).toBe(EMPTY_SILENCES);
    expect(out.rejected.map((r) => r.reason)).toEqual([
      'a silence needs a rule, a service or a label to match (to mute every alert, pause alerts instead)',
      'a silence needs an end: a time or a duration',
      'a silence must end in the future, after it starts',
      'no silence has the id "s-nope"',
    ]);
  });

  it('pauses everything for an hour, resumes on request or when the hour is up', () => {
    const paused = applySilenceOps(EMPTY_SILENCES, [{ op: 'pause', until: T0 + 3_600_000 }], T0);
    expect(paused.changes).toEqual([{ kind: 'paused', until: new Date(T0 + 3_600_000).toISOString() }]);
    expect(isPaused(paused.state, T0 + 3_599_999)).toBe(true);
    expect(expireSilences(paused.state, T0 + 3_600_000)).toEqual({ state: { ...paused.state, pausedUntil: null }, changes: [{ kind: 'resumed' }] });
    expect(applySilenceOps(paused.state, [{ op: 'pause', until: null }], T0 + 60_000).changes).toEqual([{ kind: 'resumed' }]);
    expect(applySilenceOps(EMPTY_SILENCES, [{ op: 'pause', until: T0 }], T0).rejected).toEqual([{ what: 'pause', reason: 'the pause must end in the future' }]);
  });
});

describe('quiet hours', () => {
  const quiet = resolveAlertFlowConfig(alertFlowSchema.parse({ quiet_hours: { from: '22:00', to: '08:00' } })).quietHours!;
  const at = (iso: string) => Date.parse(iso);

  it('span midnight in local time', () => {
    const berlin = 'Europe/Berlin'; // UTC+1 in winter
    expect(inQuietHours(quiet, at('2026-01-15T20:59:00Z'), berlin)).toBe(false); // 21:59
    expect(inQuietHours(quiet, at('2026-01-15T21:00:00Z'), berlin)).toBe(true); // 22:00
    expect(inQuietHours(quiet, at('2026-01-15T23:30:00Z'), berlin)).toBe(true); // 00:30
    expect(inQuietHours(quiet, at('2026-01-16T06:59:00Z'), berlin)).toBe(true); // 07:59
    expect(inQuietHours(quiet, at('2026-01-16T07:00:00Z'), berlin)).toBe(false); // 08:00
  });

  it('follow daylight saving time', () => {
    // 21:30 UTC is 22:30 in Berlin's winter (quiet) and 23:30 in its summer (quiet); 20:30 UTC
    // is 21:30 in winter (not quiet) and 22:30 in summer (quiet).
    expect(localMinuteOfDay(at('2026-07-01T20:30:00Z'), 'Europe/Berlin')).toBe(22 * 60 + 30);
    expect(inQuietHours(quiet, at('2026-01-15T20:30:00Z'), 'Europe/Berlin')).toBe(false);
    expect(inQuietHours(quiet, at('2026-07-01T20:30:00Z'), 'Europe/Berlin')).toBe(true);
  });

  it('work within one day too, and let only critical through (or nothing)', () => {
    const lunch = resolveAlertFlowConfig(alertFlowSchema.parse({ quiet_hours: { from: '12:00', to: '13:00', allow: 'none' } })).quietHours!;
    expect(inQuietHours(lunch, at('2026-01-15T12:30:00Z'), 'UTC')).toBe(true);
    expect(inQuietHours(lunch, at('2026-01-15T13:00:00Z'), 'UTC')).toBe(false);
    expect(inQuietHours(null, at('2026-01-15T12:30:00Z'), 'UTC')).toBe(false);
    expect(quietAllows(quiet, 'critical')).toBe(true);
    expect(quietAllows(quiet, 'warning')).toBe(false);
    expect(quietAllows(lunch, 'critical')).toBe(false);
  });
});
