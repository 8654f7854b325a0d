// The RuleSet on metrics ticks: system levels held for their `for`, per-service limits, user
// rules with matchers, templates and hysteresis; verdicts for every active key at every tick and
// one inactive verdict when a key lets go; stale series; and a reload that carries state on.
import { describe, expect, it } from 'vitest';
import { RuleSet } from '../../../src/core/alerts/rules/rule-set.ts';
import { feed, GB, MB, MINUTE, onlyBuiltins, rulesConfig, testStack } from './rule-helpers.ts';

const T0 = Date.parse('2025-03-01T12:00:00Z');
const STEP = 10_000;
const CPU = 'system_cpu_percent';

describe('system rules', () => {
  it('system-cpu: warning above 70 %, critical once 90 % has held 5 min, and back under the clear line to resolve', () => {
    const rules = new RuleSet(rulesConfig({ builtin: onlyBuiltins(['system-cpu']) }));
    const cpu = (t: number) => {
      const m = (t - T0) / MINUTE;
      return m < 1 ? 40 : m < 7 ? 75 : m < 14 ? 95 : m < 20 ? 68 : 50;
    };
    const fed = feed(rules, T0, T0 + 25 * MINUTE, STEP, (t) => ({ [CPU]: cpu(t) }));
    const at = (m: number) => fed.verdicts.find((v) => v.t === T0 + m * MINUTE)?.verdict;
    expect(fed.verdicts[0]!.t).toBe(T0 + MINUTE);
    expect(at(1)).toMatchObject({ rule: 'system-cpu', active: true, severity: 'warning', forMs: 5 * MINUTE, summary: 'CPU 75 % > 70 %', labels: { alertname: 'system-cpu' }, link: '#/system' });
    expect(at(6)).toMatchObject({ severity: 'warning', summary: 'CPU 75 % > 70 % for 5 min', details: { value: 75, threshold: 70, series: CPU, unit: '%' } });
    // At 95 % from minute 7: critical only once that has held 5 min.
    expect(at(11)!.severity).toBe('warning');
    expect(at(12)).toMatchObject({ severity: 'critical', summary: 'CPU 95 % > 90 % for 11 min' });
    // 68 % is under 70 but above the clear line (65): the alert holds.
    expect(at(15)).toMatchObject({ active: true, severity: 'warning' });
    expect(at(20)).toMatchObject({ active: false, summary: 'CPU back to 50 %' });
    // One verdict per tick while active, one to let go, then silence.
    expect(fed.verdicts.filter((v) => v.verdict.active)).toHaveLength((20 - 1) * 6);
    expect(fed.verdicts.filter((v) => !v.verdict.active)).toHaveLength(1);
  });

  it('system-disk judges each mount apart; system-memory reads its own series', () => {
    const rules = new RuleSet(rulesConfig({ builtin: onlyBuiltins(['system-disk', 'system-memory']) }));
    const result = rules.onTick({
      t: T0,
      values: { 'system_disk_used_percent{mount="/"}': 97, 'system_disk_used_percent{mount="/home"}': 40, system_memory_percent: 81, system_swap_percent: 99 },
    });
    expect(result.verdicts.map((v) => [v.rule, v.labels, v.summary])).toEqual([
      // Pending, it shows the worst level it is beyond; critical once that has held for `for`.
      ['system-disk', { mount: '/', alertname: 'system-disk' }, 'disk / used 97 % > 95 %'],
      ['system-memory', { alertname: 'system-memory' }, 'memory 81 % > 80 %'],
    ]);
  });
});

describe('per-service limits', () => {
  it('service-rss and service-cpu judge only services with a limit, in bytes and percent', () => {
    const rules = new RuleSet(rulesConfig({ builtin: onlyBuiltins(['service-rss', 'service-cpu'], { 'service-rss': { for: '0s' } }), limits: { server: { rss: '2GB', cpu: 150 } } }));
    const values = {
      'service_rss_bytes{service="server"}': 2.5 * GB,
      'service_rss_bytes{service="runner"}': 30 * GB,
      'service_cpu_percent{service="server"}': 180,
      'service_cpu_percent{service="runner"}': 400,
    };
    const first = rules.onTick({ t: T0, values });
    expect(first.verdicts.map((v) => [v.rule, v.labels.service, v.severity, v.forMs, v.summary])).toEqual([
      ['service-rss', 'server', 'warning', 0, 'server: memory 2.5 GB > 2 GB'],
      ['service-cpu', 'server', 'warning', 5 * MINUTE, 'server: CPU 180 % > 150 %'],
    ]);
    expect(first.verdicts[0]!.details).toMatchObject({ value: 2.5 * GB, threshold: 2 * GB, unit: 'bytes', service: 'server' });
    expect(first.verdicts[0]!.link).toBe('#/service/server');
  });
});

describe('user rules', () => {
  const slow = {
    name: 'slow-server',
    series: 'service_health_latency_ms{service=~"server|api"}',
    threshold: 200,
    clear: 150,
    for: '1m',
    severity: 'critical' as const,
    channels: ['slack'],
    labels: { team: 'web' },
    message: '{{service}} latency {{value}} ms > {{threshold}} ({{team}}, {{labels.service}})',
  };

  it('read the series their matchers pick, and word the alert with the template', () => {
    const rules = new RuleSet(rulesConfig({ builtin: onlyBuiltins([]), rules: [slow] }));
    const result = rules.onTick({
      t: T0,
      values: {
        'service_health_latency_ms{service="server"}': 231.4,
        'service_health_latency_ms{service="api"}': 20,
        'service_health_latency_ms{service="runner"}': 900,
      },
    });
    expect(result.verdicts).toHaveLength(1);
    expect(result.verdicts[0]).toMatchObject({
      rule: 'slow-server',
      labels: { alertname: 'slow-server', service: 'server', team: 'web' },
      active: true,
      severity: 'critical',
      forMs: MINUTE,
      channels: ['slack'],
      summary: 'server latency 231 ms > 200 (web, server)',
      details: { value: 231.4, threshold: 200, series: 'service_health_latency_ms{service="server"}', unit: 'ms', service: 'server' },
    });
  });

  it('hold past the threshold until the clear value once fired (hysteresis)', () => {
    const rules = new RuleSet(rulesConfig({ builtin: onlyBuiltins([]), rules: [{ ...slow, message: undefined }] }));
    const key = 'service_health_latency_ms{service="server"}';
    const values = [250, 250, 250, 250, 250, 250, 250, 180, 160, 140];
    const fed = feed(rules, T0, T0 + values.length * STEP, STEP, (t) => ({ [key]: values[(t - T0) / STEP]! }));
    expect(fed.verdicts.map((v) => v.verdict.active)).toEqual([true, true, true, true, true, true, true, true, true, false]);
    expect(fed.verdicts.at(-1)!.verdict.summary).toBe(`slow-server: ${key} back to 140 ms`);
    expect(fed.verdicts[6]!.verdict.summary).toBe(`slow-server: ${key} 250 ms > 200 ms for 1 min`);
  });

  it('compare downwards, and read thresholds written as sizes', () => {
    const rules = new RuleSet(rulesConfig({ builtin: onlyBuiltins([]), rules: [{ name: 'low-disk', series: 'system_disk_free_bytes{mount="/"}', op: '<', threshold: '10GB', for: '0s' }] }));
    const [verdict] = rules.onTick({ t: T0, values: { 'system_disk_free_bytes{mount="/"}': 4 * GB } }).verdicts;
    expect(verdict).toMatchObject({ active: true, details: { threshold: 10 * GB }, summary: 'low-disk: system_disk_free_bytes{mount="/"} 4 GB < 10 GB' });
    expect(rules.onTick({ t: T0 + STEP, values: { 'system_disk_free_bytes{mount="/"}': 20 * GB } }).verdicts[0]!.active).toBe(false);
  });

  it('a switched-off rule reads nothing', () => {
    const rules = new RuleSet(rulesConfig({ builtin: onlyBuiltins([]), rules: [{ ...slow, enabled: false }] }));
    expect(rules.onTick({ t: T0, values: { 'service_health_latency_ms{service="server"}': 900 } }).verdicts).toEqual([]);
  });
});

describe('series over time', () => {
  it('let an alert go when its series stops coming, after five minutes without data', () => {
    const rules = new RuleSet(rulesConfig({ builtin: onlyBuiltins(['system-disk']) }));
    const disk = 'system_disk_used_percent{mount="/media/usb"}';
    rules.onTick({ t: T0, values: { [disk]: 99 } });
    const quiet = feed(rules, T0 + STEP, T0 + 6 * MINUTE, STEP, () => ({ [CPU]: 10 }));
    const closing = quiet.verdicts.filter((v) => !v.verdict.active);
    expect(closing).toHaveLength(1);
    expect(closing[0]!.t).toBe(T0 + 5 * MINUTE);
    expect(closing[0]!.verdict.summary).toBe('disk /media/usb used back to 99 % (no data for a while)');
    // Until then the open alert is listed at every tick, as last seen.
    const listed = quiet.verdicts.filter((v) => v.verdict.active);
    expect(listed).toHaveLength(5 * 6 - 1);
    expect(listed.every((v) => v.verdict.summary === 'disk /media/usb used 99 % > 95 %')).toBe(true);
  });

  it('do not count a sleep of the machine as time in breach', () => {
    const rules = new RuleSet(rulesConfig({ builtin: onlyBuiltins(['system-cpu']) }));
    const before = feed(rules, T0, T0 + 3 * MINUTE, STEP, () => ({ [CPU]: 75 }));
    expect(before.verdicts.at(-1)!.verdict.summary).toBe('CPU 75 % > 70 % for 3 min');
    // An hour without ticks (asleep), then the same load: pending starts over, not 63 min old.
    const wake = T0 + 63 * MINUTE;
    expect(rules.onTick({ t: wake, values: { [CPU]: 75 } }).verdicts[0]!.summary).toBe('CPU 75 % > 70 %');
    // Not held for `for`, so no hysteresis yet: 68 % is back under the line.
    expect(rules.onTick({ t: wake + STEP, values: { [CPU]: 68 } }).verdicts.map((v) => v.active)).toEqual([false]);
  });

  it('skip values that are not numbers and keys that do not parse', () => {
    const rules = new RuleSet(rulesConfig({ builtin: onlyBuiltins(['system-cpu'], { 'system-cpu': { for: '0s' } }) }));
    const result = rules.onTick({ t: T0, values: { [CPU]: Number.NaN, 'system_cpu_percent{broken': 99, 'service_cpu_percent{service="x"': 99 } });
    expect(result.verdicts).toEqual([]);
  });
});

describe('a reload', () => {
  it('carries on the state of rules whose settings did not change, and closes the alerts of rules that did', () => {
    const config = rulesConfig({ builtin: onlyBuiltins(['system-cpu', 'system-memory']) });
    const first = new RuleSet(config);
    const stack = testStack();
    first.begin(stack, T0);
    feed(first, T0, T0 + 3 * MINUTE, STEP, () => ({ [CPU]: 80, system_memory_percent: 90 }));

    // The memory rule's levels change; the CPU rule's do not.
    const edited = rulesConfig({ builtin: onlyBuiltins(['system-cpu', 'system-memory'], { 'system-memory': { warning: 95, critical: 99 } }) });
    const second = new RuleSet(edited, first);
    const handOver = second.begin(stack, T0 + 3 * MINUTE);
    expect(handOver.verdicts.map((v) => [v.rule, v.active, v.summary])).toEqual([['system-memory', false, 'memory 90 % > 80 % for 3 min (rule changed)']]);
    // The CPU alert keeps its pending time: 5 min after it began, not after the reload.
    const fed = feed(second, T0 + 3 * MINUTE, T0 + 6 * MINUTE, STEP, () => ({ [CPU]: 80, system_memory_percent: 90 }));
    const cpu = fed.verdicts.filter((v) => v.verdict.rule === 'system-cpu');
    expect(cpu[0]!.verdict.summary).toBe('CPU 80 % > 70 % for 3 min');
    expect(fed.verdicts.filter((v) => v.verdict.rule === 'system-memory')).toEqual([]);
  });

  it('keeps an anomaly baseline learned before the edit', () => {
    const config = rulesConfig({ builtin: onlyBuiltins(['service-anomaly', 'system-cpu']) });
    const first = new RuleSet(config);
    const latency = 'service_health_latency_ms{service="server"}';
    feed(first, T0, T0 + 30 * MINUTE, STEP, (t) => ({ [latency]: 20 + ((t / STEP) % 3) }));
    const second = new RuleSet(rulesConfig({ builtin: onlyBuiltins(['service-anomaly', 'system-cpu'], { 'system-cpu': { warning: 50 } }) }), first);
    second.begin(testStack(), T0 + 30 * MINUTE);
    // Judged at once: no new warm-up.
    const [verdict] = second.onTick({ t: T0 + 30 * MINUTE, values: { [latency]: 400 } }).verdicts;
    expect(verdict).toMatchObject({ rule: 'service-anomaly', active: true });
    expect(verdict!.summary).toMatch(/usually 21 ms/);
  });

  it('lists every active verdict for a lifecycle that starts late', () => {
    const rules = new RuleSet(rulesConfig({ builtin: onlyBuiltins(['system-cpu', 'service-rss'], { 'service-rss': { for: '0s' } }), limits: { server: { rss: '1GB' } } }));
    rules.onTick({ t: T0, values: { [CPU]: 99, 'service_rss_bytes{service="server"}': 2 * GB, 'service_rss_bytes{service="api"}': 100 * MB } });
    expect(rules.active().map((v) => v.rule).sort()).toEqual(['service-rss', 'system-cpu']);
  });
});
