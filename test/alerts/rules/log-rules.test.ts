// Log rules: "more than 5 lines matching ERROR in a minute", counted per service in a sliding
// window, firing on the line that crosses, refreshed and let go by ticks.
import { describe, expect, it } from 'vitest';
import { SlidingWindowCount } from '../../../src/core/alerts/rules/sliding-window-count.ts';
import { RuleSet } from '../../../src/core/alerts/rules/rule-set.ts';
import { MINUTE, onlyBuiltins, rulesConfig } from './rule-helpers.ts';

const T0 = Date.parse('2025-03-01T12:00:00Z');
const iso = (t: number) => new Date(t).toISOString();

const errorsRule = (extra: Record<string, unknown> = {}) =>
  new RuleSet(rulesConfig({ builtin: onlyBuiltins([]), logs: [{ name: 'errors', service: 'server', pattern: 'ERROR', more_than: 5, window: '1m', ...extra } as never] }));

describe('a sliding window count', () => {
  it('counts what fell within the window, in fixed memory', () => {
    const window = new SlidingWindowCount(60_000);
    for (let i = 0; i < 10; i++) window.add(T0 + i * 5000);
    expect(window.count(T0 + 45_000)).toBe(10);
    // 70 s on, the first three (at 0, 5 and 10 s) have left the window.
    expect(window.count(T0 + 70_000)).toBe(7);
    expect(window.count(T0 + 10 * MINUTE)).toBe(0);
    for (let i = 0; i < 100_000; i++) window.add(T0 + 10 * MINUTE + (i % 1000));
    expect(window.count(T0 + 10 * MINUTE + 1000)).toBe(100_000);
  });
});

describe('log rules', () => {
  it('fire on the sixth matching line within a minute, carrying the count and the lines', () => {
    const rules = errorsRule();
    const results = [];
    for (let i = 1; i <= 6; i++) results.push(rules.onLogLine('server', { time: iso(T0 + i * 1000), text: `ERROR request ${i} failed`, stream: 'stderr' }));
    expect(results.slice(0, 5).every((r) => r.verdicts.length === 0)).toBe(true);
    expect(results[5]!.verdicts).toHaveLength(1);
    const verdict = results[5]!.verdicts[0]!;
    expect(verdict).toMatchObject({
      rule: 'log:errors',
      labels: { alertname: 'log:errors', service: 'server' },
      active: true,
      severity: 'warning',
      forMs: 0,
      summary: 'server: 6 lines matching "ERROR" in the last 1 min (more than 5)',
      link: '#/service/server',
      details: { service: 'server', value: 6, threshold: 5, matches: 6 },
    });
    expect(verdict.details.lastLines).toEqual(['ERROR request 2 failed', 'ERROR request 3 failed', 'ERROR request 4 failed', 'ERROR request 5 failed', 'ERROR request 6 failed']);
  });

  it('do not fire for lines that do not match, for other services, or for Vigil\'s own notes', () => {
    const rules = errorsRule();
    const verdicts = [];
    for (let i = 0; i < 20; i++) {
      verdicts.push(...rules.onLogLine('server', { time: T0 + i, text: 'all good' }).verdicts);
      verdicts.push(...rules.onLogLine('runner', { time: T0 + i, text: 'ERROR in the runner' }).verdicts);
      verdicts.push(...rules.onLogLine('server', { time: T0 + i, text: 'exited with code 1: ERROR', stream: 'vigil' }).verdicts);
    }
    expect(verdicts).toEqual([]);
  });

  it('do not fire for the same lines spread over more than the window', () => {
    const rules = errorsRule();
    const verdicts = [];
    for (let i = 0; i < 30; i++) verdicts.push(...rules.onLogLine('server', { time: T0 + i * 15_000, text: 'ERROR' }).verdicts);
    expect(verdicts).toEqual([]);
  });

  it('refresh the count at each tick, and let go once the burst has left the window', () => {
    const rules = errorsRule();
    for (let i = 0; i < 10; i++) rules.onLogLine('server', { time: T0 + i * 100, text: 'ERROR' });
    const during = rules.onTick({ t: T0 + 30_000, values: {} });
    expect(during.verdicts.map((v) => [v.active, v.details.matches])).toEqual([[true, 10]]);
    const after = rules.onTick({ t: T0 + 65_000, values: {} });
    expect(after.verdicts.map((v) => [v.active, v.summary])).toEqual([[false, 'server: 0 lines matching "ERROR" in the last 1 min, no more than 5']]);
    expect(rules.onTick({ t: T0 + 70_000, values: {} }).verdicts).toEqual([]);
  });

  it('count a flood in one verdict, not one per line', () => {
    const rules = errorsRule();
    let verdicts = 0;
    for (let i = 0; i < 50_000; i++) verdicts += rules.onLogLine('server', { time: T0 + (i % 1000), text: `ERROR flood line ${i}` }).verdicts.length;
    expect(verdicts).toBe(1);
    expect(rules.onTick({ t: T0 + 1000, values: {} }).verdicts[0]!.details.matches).toBe(50_000);
  });

  it('without a service, count each service apart; with a template, word the alert as told', () => {
    const rules = new RuleSet(
      rulesConfig({
        builtin: onlyBuiltins([]),
        logs: [{ name: 'timeouts', pattern: 'time(d )?out', ignore_case: true, more_than: 1, severity: 'critical', labels: { team: 'web' }, message: '{{service}}: {{value}} timeouts, the last: {{line}} ({{team}})' }],
      }),
    );
    const fired = [
      ...rules.onLogLine('server', { time: T0, text: 'GET / TIMED OUT' }).verdicts,
      ...rules.onLogLine('runner', { time: T0 + 1, text: 'job timeout' }).verdicts,
      ...rules.onLogLine('server', { time: T0 + 2, text: 'POST /x timeout after 30s' }).verdicts,
    ];
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({
      rule: 'log:timeouts',
      severity: 'critical',
      labels: { alertname: 'log:timeouts', service: 'server', team: 'web' },
      summary: 'server: 2 timeouts, the last: POST /x timeout after 30s (web)',
    });
  });
});
