// service-anomaly on synthetic series: noise that is normal never fires, a spike alone does not
// fire, a level shift fires and is not learned as the new normal while the incident lasts, and
// nothing is judged during the warm-up.
import { describe, expect, it } from 'vitest';
import { EwmaBaseline } from '../../../src/core/alerts/rules/anomaly-baseline.ts';
import { RuleSet } from '../../../src/core/alerts/rules/rule-set.ts';
import { feed, gaussian, HOUR, longestActiveRun, MB, MINUTE, onlyBuiltins, rulesConfig, seeded } from './rule-helpers.ts';

const LATENCY = 'service_health_latency_ms{service="server"}';
const CPU = 'service_cpu_percent{service="server"}';
const RSS = 'service_rss_bytes{service="server"}';
const STEP = 10_000; // the sampler's idle interval
const FOR = 5 * MINUTE; // the rule's default `for`

const anomalyRules = () => new RuleSet(rulesConfig({ builtin: onlyBuiltins(['service-anomaly']) }));

describe('the anomaly baseline (EWMA)', () => {
  it('learns a mean and a deviation from time-weighted samples, in fixed memory', () => {
    const noise = gaussian(seeded(1));
    const baseline = new EwmaBaseline({ halfLifeMs: 30 * MINUTE, warmupMs: 15 * MINUTE, minSamples: 20, maxStepMs: MINUTE });
    for (let t = 0; t < 3 * HOUR; t += STEP) baseline.learn(100 + 5 * noise(), t);
    expect(baseline.ready).toBe(true);
    expect(baseline.mean).toBeGreaterThan(98);
    expect(baseline.mean).toBeLessThan(102);
    expect(baseline.deviation).toBeGreaterThan(4);
    expect(baseline.deviation).toBeLessThan(6);
  });

  it('weighs by time, not by count: sampling every second or every ten gives the same baseline', () => {
    const options = { halfLifeMs: 30 * MINUTE, warmupMs: 15 * MINUTE, minSamples: 20, maxStepMs: MINUTE };
    const fast = new EwmaBaseline(options);
    const slow = new EwmaBaseline(options);
    const level = (t: number) => (t < 2 * HOUR ? 100 : 200);
    for (let t = 0; t < 2.5 * HOUR; t += 1000) fast.learn(level(t), t);
    for (let t = 0; t < 2.5 * HOUR; t += 10_000) slow.learn(level(t), t);
    // Half an hour after a step from 100 to 200: half way, whatever the rate.
    expect(fast.mean).toBeCloseTo(150, -1);
    expect(slow.mean).toBeCloseTo(150, -1);
  });

  it('is a plain average during the warm-up, so the first value does not dominate', () => {
    const baseline = new EwmaBaseline({ halfLifeMs: 30 * MINUTE, warmupMs: 15 * MINUTE, minSamples: 20, maxStepMs: MINUTE });
    baseline.learn(1000, 0);
    for (let i = 1; i < 10; i++) baseline.learn(10, i * STEP);
    expect(baseline.mean).toBeCloseTo(109, 0); // (1000 + 9 × 10) / 10
    expect(baseline.ready).toBe(false);
  });

  it('takes one value after a long gap (the machine slept) no harder than one after a minute', () => {
    const options = { halfLifeMs: 30 * MINUTE, warmupMs: 0, minSamples: 1, maxStepMs: MINUTE };
    const gap = new EwmaBaseline(options);
    const minute = new EwmaBaseline(options);
    for (const b of [gap, minute]) for (let t = 0; t < HOUR; t += STEP) b.learn(100, t);
    gap.learn(500, HOUR + 8 * HOUR);
    minute.learn(500, HOUR + MINUTE);
    expect(gap.mean).toBeCloseTo(minute.mean, 6);
    expect(gap.mean).toBeLessThan(110);
  });
});

describe('service-anomaly', () => {
  it('does not judge during the warm-up, however wild the values', () => {
    const rules = anomalyRules();
    const random = seeded(2);
    const fed = feed(rules, 0, 14 * MINUTE, STEP, () => ({ [LATENCY]: 1 + 500 * random(), [CPU]: 100 * random() }));
    expect(fed.verdicts).toEqual([]);
  });

  it('stays quiet on noisy but normal series for a day', () => {
    const rules = anomalyRules();
    const noise = gaussian(seeded(3));
    const fed = feed(rules, 0, 24 * HOUR, STEP, (t) => ({
      [LATENCY]: Math.max(1, 20 + 4 * noise()),
      // Busy in bursts: a dev server that compiles now and then.
      [CPU]: Math.max(0, Math.min(400, 15 + 8 * noise() + (Math.floor(t / (37 * MINUTE)) % 3 === 0 ? 10 : 0))),
      [RSS]: 300 * MB + 10 * MB * noise(),
    }));
    expect(longestActiveRun(fed, 'service-anomaly')).toBeLessThan(FOR);
  });

  it('does not fire for one spike', () => {
    const rules = anomalyRules();
    const noise = gaussian(seeded(4));
    const fed = feed(rules, 0, 2 * HOUR, STEP, (t) => ({ [LATENCY]: t === HOUR ? 900 : 20 + 2 * noise() }));
    const spike = fed.verdicts.filter((v) => v.verdict.rule === 'service-anomaly');
    expect(spike.map((v) => [v.t, v.verdict.active])).toEqual([
      [HOUR, true],
      [HOUR + STEP, false],
    ]);
    expect(longestActiveRun(fed, 'service-anomaly')).toBeLessThan(FOR);
  });

  it('fires on a level shift, says what is usual, and does not learn the incident as normal', () => {
    const rules = anomalyRules();
    const noise = gaussian(seeded(5));
    const shiftAt = 2 * HOUR;
    const fed = feed(rules, 0, shiftAt + HOUR, STEP, (t) => ({ [LATENCY]: t < shiftAt ? 20 + 2 * noise() : 140 + 5 * noise() }));
    const verdicts = fed.verdicts.filter((v) => v.verdict.rule === 'service-anomaly');
    expect(verdicts[0]!.t).toBe(shiftAt);
    // Active at every tick of the hour since: the lifecycle fires it after `for`.
    expect(longestActiveRun(fed, 'service-anomaly')).toBeGreaterThanOrEqual(HOUR - STEP);
    const last = verdicts.at(-1)!.verdict;
    expect(last).toMatchObject({ active: true, severity: 'warning', forMs: FOR, labels: { alertname: 'service-anomaly', service: 'server', metric: 'service_health_latency_ms' } });
    expect(last.details).toMatchObject({ series: LATENCY, unit: 'ms', service: 'server' });
    // An hour into the incident the baseline still says what normal was.
    expect(last.summary).toMatch(/^server: health-check latency 1[34]\d ms, usually 2\d(\.\d+)? ms ± \d+(\.\d+)? ms, for 1 h$/);
    expect(last.link).toBe('#/service/server');
  });

  it('accepts a level shift that lasts for hours as the new normal, in the end', () => {
    const rules = anomalyRules();
    const noise = gaussian(seeded(6));
    const shiftAt = 2 * HOUR;
    const fed = feed(rules, 0, shiftAt + 12 * HOUR, STEP, (t) => ({ [RSS]: (t < shiftAt ? 300 : 600) * MB + 5 * MB * noise() }));
    const verdicts = fed.verdicts.filter((v) => v.verdict.rule === 'service-anomaly');
    expect(verdicts[0]).toMatchObject({ t: shiftAt, verdict: { active: true } });
    const letGo = verdicts.find((v) => !v.verdict.active);
    expect(letGo).toBeDefined();
    expect(letGo!.t - shiftAt).toBeGreaterThan(HOUR);
    expect(verdicts.at(-1)!.verdict.active).toBe(false);
  });

  it('does not judge drops: a service that got faster needs nobody', () => {
    const rules = anomalyRules();
    const noise = gaussian(seeded(7));
    const fed = feed(rules, 0, 4 * HOUR, STEP, (t) => ({ [LATENCY]: t < 2 * HOUR ? 200 + 10 * noise() : 20 + 2 * noise() }));
    expect(fed.verdicts).toEqual([]);
  });

  it('ignores rises too small to matter on a flat series (idle CPU from 0.5 % to 3 %)', () => {
    const rules = anomalyRules();
    const noise = gaussian(seeded(8));
    const fed = feed(rules, 0, 4 * HOUR, STEP, (t) => ({ [CPU]: Math.max(0, (t < 2 * HOUR ? 0.5 : 3) + 0.05 * noise()) }));
    expect(fed.verdicts).toEqual([]);
  });
});
