// Shared by the rules' tests: configs with overrides, a stack context made of plain snapshots,
// synthetic series from a seeded random source (the store tests' mulberry32), and the lifecycle's view of verdicts (how long
// an alert key stayed active without a break: whether it would have fired).
import type { RuleVerdict } from '../../../src/shared/alerts.ts';
import type { EngineEvent } from '../../../src/shared/events.ts';
import type { FlySnapshot } from '../../../src/shared/fly.ts';
import type { MetricsTick } from '../../../src/shared/metrics.ts';
import type { ServiceSnapshot } from '../../../src/shared/services.ts';
import type { TunnelSnapshot } from '../../../src/shared/tunnels.ts';
import { type AlertRulesConfig, type AlertRulesSpecInput, alertRulesSchema, resolveAlertRules } from '../../../src/core/alerts/config/rules-config.ts';
import type { RuleContext, RuleResult } from '../../../src/core/alerts/rules/rule-context.ts';
import type { RuleSet } from '../../../src/core/alerts/rules/rule-set.ts';
import { service } from '../../main/snapshots.ts';
import { HOUR, MINUTE, seeded } from '../../metrics/store/store-files.ts';

/** A resolved config from what a user would write under `alerts:`. */
export function rulesConfig(section: AlertRulesSpecInput = {}): AlertRulesConfig {
  return resolveAlertRules(alertRulesSchema.parse(section));
}

/** Every built-in rule off except the named ones: a test sees only what it is about. */
export function onlyBuiltins(names: string[], overrides: Record<string, Record<string, unknown>> = {}): AlertRulesSpecInput['builtin'] {
  const all = Object.keys(rulesConfig().builtin);
  return Object.fromEntries(all.map((name) => [name, names.includes(name) ? { ...overrides[name] } : { enabled: false }])) as AlertRulesSpecInput['builtin'];
}

/** A service as the snapshot shows it (the main process tests' builder). */
export const serviceSnapshot = service;

export function tunnelSnapshot(name: string, fields: Partial<TunnelSnapshot> = {}): TunnelSnapshot {
  return {
    name,
    kind: 'ngrok',
    state: 'up',
    error: null,
    publicUrls: ['https://abc.ngrok.app'],
    service: null,
    address: 'http://127.0.0.1:4040',
    readyConnections: null,
    expectedConnections: null,
    probe: null,
    lastSeenAt: null,
    ...fields,
  };
}

export function flySnapshot(fields: Partial<FlySnapshot> = {}): FlySnapshot {
  return { app: 'my-app', health: 'healthy', error: null, mode: 'machines-api', healthUrl: 'https://my-app.fly.dev/health', machines: [], lastPollAt: null, lastDeployAt: null, ...fields };
}

/** A context over plain, mutable snapshots: a test changes them, then sends the event. */
export interface TestStack extends RuleContext {
  serviceList: ServiceSnapshot[];
  tunnelList: TunnelSnapshot[];
  flyApp: FlySnapshot | null;
  output: Record<string, string[]>;
}

export function testStack(init: Partial<Pick<TestStack, 'serviceList' | 'tunnelList' | 'flyApp' | 'output'>> = {}): TestStack {
  const stack: TestStack = {
    serviceList: init.serviceList ?? [],
    tunnelList: init.tunnelList ?? [],
    flyApp: init.flyApp ?? null,
    output: init.output ?? {},
    services: () => stack.serviceList,
    tunnels: () => stack.tunnelList,
    fly: () => stack.flyApp,
    serviceOutput: (service, lines) => (stack.output[service] ?? []).slice(-lines),
  };
  return stack;
}

let nextId = 1;
export function event(type: EngineEvent['type'], t: number, fields: Partial<EngineEvent> = {}): EngineEvent {
  return { id: nextId++, time: new Date(t).toISOString(), type, service: null, message: '', ...fields };
}

/** Normally distributed values (Box–Muller) from a seeded source. */
export function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export interface Fed {
  /** Every verdict, with the tick time it came with. */
  verdicts: { t: number; verdict: RuleVerdict }[];
  actions: { t: number; action: RuleResult['actions'][number] }[];
}

/** Feeds ticks from `from` to `to` (exclusive) every `stepMs`, with the values `at(t)` gives. */
export function feed(rules: RuleSet, from: number, to: number, stepMs: number, at: (t: number) => Record<string, number>, into: Fed = { verdicts: [], actions: [] }): Fed {
  for (let t = from; t < to; t += stepMs) {
    const tick: MetricsTick = { t, values: at(t) };
    const result = rules.onTick(tick);
    for (const verdict of result.verdicts) into.verdicts.push({ t, verdict });
    for (const action of result.actions) into.actions.push({ t, action });
  }
  return into;
}

/** The longest stretch a rule's key stayed active without a break, as the lifecycle sees it:
 * from its first active verdict to the first inactive one (or the last active one seen). */
export function longestActiveRun(fed: Fed, rule: string): number {
  let longest = 0;
  let since: number | null = null;
  let last = 0;
  for (const { t, verdict } of fed.verdicts) {
    if (verdict.rule !== rule) continue;
    if (verdict.active) {
      since ??= t;
      last = t;
      longest = Math.max(longest, last - since);
    } else {
      since = null;
    }
  }
  return longest;
}

export { HOUR, MINUTE, seeded };
export const MB = 1024 ** 2;
export const GB = 1024 ** 3;
