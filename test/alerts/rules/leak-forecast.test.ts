// service-leak on synthetic memory series: a steady climb (with a garbage collector's sawtooth
// and wild readings) is forecast with the time it reaches the limit; a flat, a slow and a
// noisy series are not; restart_before_oom asks for one restart, says so, and starts over.
import { describe, expect, it } from 'vitest';
import { median, robustTrend } from '../../../src/core/alerts/rules/robust-trend.ts';
import { RuleSet } from '../../../src/core/alerts/rules/rule-set.ts';
import { event, feed, GB, gaussian, HOUR, MB, MINUTE, onlyBuiltins, rulesConfig, seeded, serviceSnapshot, testStack } from './rule-helpers.ts';

const RSS = 'service_rss_bytes{service="server"}';
const STEP = 10_000;

const leakRules = (limits: Record<string, unknown> = { server: { rss: '2GB' } }) =>
  new RuleSet(rulesConfig({ builtin: onlyBuiltins(['service-leak']), limits: limits as never }));

/** 1 GB climbing `perMinute`, with a GC sawtooth, noise, and one wild reading in fifty. */
function leaking(perMinute: number, seed: number) {
  const noise = gaussian(seeded(seed));
  const random = seeded(seed + 1);
  return (t: number) => {
    const sawtooth = ((t % (90 * 1000)) / (90 * 1000)) * 40 * MB;
    const wild = random() < 0.02 ? 600 * MB * (random() < 0.5 ? 1 : -0.5) : 0;
    return { [RSS]: GB + (perMinute * t) / MINUTE + sawtooth + 8 * MB * noise() + wild };
  };
}

describe('the robust trend (Theil–Sen, Mann–Kendall)', () => {
  it('finds the slope through a fifth of wild points, where least squares would tilt', () => {
    const random = seeded(9);
    const n = 60;
    const ts = Float64Array.from({ length: n }, (_, i) => i);
    const ys = Float64Array.from({ length: n }, (_, i) => 3 * i + 10 + (i % 5 === 0 ? 500 * random() : random()));
    const trend = robustTrend(ts, ys, n)!;
    expect(trend.slope).toBeCloseTo(3, 1);
    expect(trend.intercept).toBeGreaterThan(9);
    expect(trend.intercept).toBeLessThan(12);
    expect(trend.z).toBeGreaterThan(5);
  });

  it('takes medians by selection that agree with a sort, ties and even counts included', () => {
    const random = seeded(17);
    for (let trial = 0; trial < 500; trial++) {
      const n = 1 + Math.floor(random() * 80);
      const values = Float64Array.from({ length: n }, () => Math.floor(random() * 8));
      const sorted = Float64Array.from(values).sort();
      const expected = n % 2 === 1 ? sorted[n >> 1]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
      expect(median(values)).toBe(expected);
    }
  });

  it('finds no confident trend in noise', () => {
    const noise = gaussian(seeded(10));
    const n = 60;
    const ts = Float64Array.from({ length: n }, (_, i) => i);
    const ys = Float64Array.from({ length: n }, () => 100 + noise());
    expect(Math.abs(robustTrend(ts, ys, n)!.z)).toBeLessThan(2.33);
  });
});

describe('service-leak', () => {
  it('says when a steady climb reaches the limit, and how fast it grows', () => {
    const rules = leakRules();
    // 1 GB + 20 MB/min reaches 2 GB after 51.2 min.
    const fed = feed(rules, 0, 25 * MINUTE, STEP, leaking(20 * MB, 11));
    const first = fed.verdicts.find((v) => v.verdict.rule === 'service-leak' && v.verdict.active);
    expect(first).toBeDefined();
    // It needs a third of the window (10 min) and 20 closed buckets before it believes a trend.
    expect(first!.t).toBeGreaterThanOrEqual(10 * MINUTE);
    const { verdict, t } = fed.verdicts.at(-1)!;
    const reachesAt = Date.parse(verdict.details.forecast!.reachesAt);
    const truth = (1024 / 20) * MINUTE;
    expect(Math.abs(reachesAt - truth)).toBeLessThan(3 * MINUTE);
    expect(verdict.summary).toMatch(/^server reaches 2 GB in about \d+ min \(now 1\.\d GB, growing 2\d MB\/min\)$/);
    const minutes = Number(/about (\d+) min/.exec(verdict.summary)![1]);
    expect(Math.abs(minutes - (truth - t) / MINUTE)).toBeLessThanOrEqual(3);
    expect(verdict).toMatchObject({
      rule: 'service-leak',
      active: true,
      severity: 'warning',
      forMs: 0,
      labels: { alertname: 'service-leak', service: 'server' },
      link: '#/service/server',
      details: { service: 'server', series: RSS, unit: 'bytes', threshold: 2 * GB, forecast: { limit: 2 * GB } },
    });
    expect(fed.actions).toEqual([]); // restart_before_oom is off
  });

  it('stays quiet for flat memory, for noise, and for a climb that reaches the limit beyond the horizon', () => {
    const noise = gaussian(seeded(12));
    const flat = feed(leakRules(), 0, 2 * HOUR, STEP, () => ({ [RSS]: GB + 30 * MB * noise() }));
    expect(flat.verdicts).toEqual([]);
    // 2 MB/min from 1 GB: 2 GB in 8.5 h, far beyond the 1 h horizon.
    const slow = feed(leakRules(), 0, 2 * HOUR, STEP, leaking(2 * MB, 13));
    expect(slow.verdicts).toEqual([]);
  });

  it("uses the machine's memory when the service has no limit", () => {
    const rules = leakRules({});
    const climb = leaking(40 * MB, 14);
    const fed = feed(rules, 0, 20 * MINUTE, STEP, (t) => ({ ...climb(t), system_memory_total_bytes: 3 * GB }));
    const last = fed.verdicts.at(-1)!.verdict;
    expect(last.summary).toMatch(/^server reaches the machine's memory \(3 GB\) in about \d+ min/);
    // Without a limit or the machine's memory, there is nothing to reach.
    const blind = feed(leakRules({}), 0, 20 * MINUTE, STEP, climb);
    expect(blind.verdicts).toEqual([]);
  });

  it('with restart_before_oom, asks for one restart shortly before the limit and says so', () => {
    const rules = leakRules({ server: { rss: '2GB', restart_before_oom: true } });
    const climb = leaking(40 * MB, 15); // 2 GB after 25.6 min
    const fed = feed(rules, 0, 40 * MINUTE, STEP, (t) => (t < 23 * MINUTE ? climb(t) : climb(t - 23 * MINUTE)));
    expect(fed.actions).toHaveLength(1);
    const { t, action } = fed.actions[0]!;
    expect(action).toMatchObject({ kind: 'restart-service', service: 'server', rule: 'service-leak' });
    expect(action.reason).toMatch(/^server would reach 2 GB in about \d min: Vigil restarted it before it runs out of memory \(restart_before_oom\)$/);
    // Within restart_lead (5 min) of the limit, and before it.
    expect(t).toBeGreaterThanOrEqual(20 * MINUTE);
    expect(t).toBeLessThan(25.6 * MINUTE);
    // The alert said beforehand that Vigil would restart it, then that it did.
    const before = fed.verdicts.find((v) => v.t < t && v.verdict.active)!.verdict;
    expect(before.summary).toContain('Vigil restarts it when 5 min are left');
    const at = fed.verdicts.find((v) => v.t === t)!.verdict;
    expect(at).toMatchObject({ active: true, summary: action.reason });
  });

  it('starts the trend over when the service restarts', () => {
    const rules = leakRules();
    const climb = leaking(20 * MB, 16);
    const fed = feed(rules, 0, 20 * MINUTE, STEP, climb);
    expect(fed.verdicts.at(-1)!.verdict.active).toBe(true);
    const stack = testStack({ serviceList: [serviceSnapshot('server', { state: 'starting' })] });
    rules.onEvent(event('service.state', 20 * MINUTE, { service: 'server', from: 'running', to: 'starting' }), stack);
    // The next ticks judge a window too short to believe: the forecast lets go once.
    const after = feed(rules, 20 * MINUTE, 22 * MINUTE, STEP, (t) => climb(t - 20 * MINUTE));
    expect(after.verdicts.map((v) => v.verdict.active)).toEqual([false]);
  });
});
