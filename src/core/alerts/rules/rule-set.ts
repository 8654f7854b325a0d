// The rules stage of the alert pipeline: every rule a stack's config asks for, fed with the
// three inputs the engine has (metrics ticks, engine events, service output lines), answering
// with RuleVerdicts (see src/shared/alerts.ts) and actions. It knows nothing of alerts' lives:
// `for`, pending/firing, silences and notifications are the lifecycle's.
//
//   const rules = new RuleSet(config);            // or new RuleSet(config, previous) on a reload
//   lifecycle(rules.begin(context, now));         // the stack's state as it is
//   sampler.onTick((tick) => lifecycle(rules.onTick(tick)));
//   events.subscribe((e) => lifecycle(rules.onEvent(e, context)));
//   logs.onLine((service, line) => lifecycle(rules.onLogLine(service, line)));
//
// Each call returns the verdicts that changed; a tick also returns every active one, so the
// lifecycle sees each open alert at least once per tick (its clock for `for`).
import type { RuleVerdict } from '../../../shared/alerts.ts';
import type { EngineEvent } from '../../../shared/events.ts';
import type { MetricsTick } from '../../../shared/metrics.ts';
import type { AlertRulesConfig } from '../config/rules-config.ts';
import { type AnomalyState, AnomalyRule } from './anomaly-rule.ts';
import { FlyRules } from './fly-rules.ts';
import { type LeakState, LeakForecastRule } from './leak-forecast-rule.ts';
import { type LogLineInput, LogRules } from './log-rules.ts';
import { emptyResult, type RuleContext, type RuleResult } from './rule-context.ts';
import { RuleMemory } from './rule-memory.ts';
import { SeriesIndex } from './series-index.ts';
import type { SeriesRule } from './series-rule.ts';
import { ServiceEventRules } from './service-event-rules.ts';
import { thresholdRules } from './threshold-rules.ts';
import { TunnelRules } from './tunnel-rules.ts';
import { verdictKey } from './verdict-format.ts';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class RuleSet {
  readonly config: AlertRulesConfig;
  private readonly memory: RuleMemory;
  private readonly index: SeriesIndex;
  private readonly services: ServiceEventRules;
  private readonly tunnels: TunnelRules;
  private readonly fly: FlyRules;
  private readonly logs: LogRules;
  private readonly leak: LeakForecastRule | null;
  /** The RuleSet this one replaces, until begin() has taken over from it. */
  private previous: RuleSet | null;
  /** Which parts were carried over from the previous RuleSet as they were. */
  private readonly carried: { services: boolean; tunnels: boolean; fly: boolean; logs: boolean };

  /** Compiles the config's rules (patterns, selectors, templates: checked when the stack file
   * loaded, so this throws only on a config that did not come through the schema). With
   * `previous`, rules whose settings did not change carry on with its state. */
  constructor(config: AlertRulesConfig, previous: RuleSet | null = null) {
    this.config = config;
    this.previous = previous;
    this.memory = new RuleMemory(previous?.memory ?? null);
    const b = config.builtin;
    const p = previous?.config.builtin;
    const servicesSame = p !== undefined && same(pick(b, SERVICE_RULES), pick(p, SERVICE_RULES));
    const tunnelsSame = p !== undefined && same(pick(b, TUNNEL_RULES), pick(p, TUNNEL_RULES));
    const flySame = p !== undefined && same(pick(b, FLY_RULES), pick(p, FLY_RULES));
    const logsSame = previous !== null && same(config.logs, previous.config.logs);
    this.carried = { services: servicesSame, tunnels: tunnelsSame, fly: flySame, logs: logsSame };
    this.services = servicesSame ? previous!.services : new ServiceEventRules(b);
    this.tunnels = tunnelsSame ? previous!.tunnels : new TunnelRules(b);
    this.fly = flySame ? previous!.fly : new FlyRules(b);
    this.logs = logsSame ? previous!.logs : new LogRules(config.logs);

    const series: SeriesRule[] = thresholdRules(config, this.memory);
    const anomaly = b['service-anomaly'];
    if (anomaly.enabled) {
      const store = this.memory.store<AnomalyState>('service-anomaly', anomaly);
      for (const name of new Set(anomaly.series)) series.push(new AnomalyRule(name, anomaly, store));
    }
    const leak = b['service-leak'];
    this.leak = leak.enabled ? new LeakForecastRule(leak, config.limits, this.memory.store<LeakState>('service-leak', { leak, limits: config.limits })) : null;
    if (this.leak) series.push(this.leak);
    this.index = new SeriesIndex(series);
  }

  /** Takes over the stack as it is now: the state of every service, tunnel and the Fly app
   * (after an engine start, or from the previous RuleSet on a reload). Returns what is active,
   * and closes what the previous RuleSet had open that this one no longer reports. */
  begin(context: RuleContext, t: number): RuleResult {
    const out = emptyResult();
    const v = out.verdicts;
    const previous = this.previous;
    this.previous = null;
    this.memory.release();
    if (this.carried.services) this.services.sync(context, v);
    else this.services.prime(context, t, v);
    if (this.carried.tunnels) this.tunnels.sync(context, v);
    else this.tunnels.prime(context, v);
    if (this.carried.fly) this.fly.sync(context, v);
    else this.fly.prime(context, t, v);
    this.logs.sync(new Set(context.services().map((s) => s.name)), v);
    if (previous) {
      const open = new Set(v.filter((x) => x.active).map((x) => verdictKey(x.rule, x.labels)));
      for (const verdict of previous.eventVerdicts()) {
        const carried = this.carriedPart(verdict.rule);
        if (!carried && !open.has(verdictKey(verdict.rule, verdict.labels))) v.push({ ...verdict, active: false, summary: `${verdict.summary} (rule changed)` });
      }
      for (const verdict of previous.index.currentVerdicts()) {
        if (!this.memory.carries(verdict.rule, previous.memory)) v.push({ ...verdict, active: false, summary: `${verdict.summary} (rule changed)` });
      }
    }
    return out;
  }

  onTick(tick: MetricsTick): RuleResult {
    const out = emptyResult();
    this.index.observe(tick, out);
    this.services.onTick(tick.t, out.verdicts);
    this.tunnels.onTick(tick.t, out.verdicts);
    this.logs.onTick(tick.t, out.verdicts);
    this.eventVerdicts(out.verdicts);
    return out;
  }

  onEvent(event: EngineEvent, context: RuleContext): RuleResult {
    const out = emptyResult();
    const t = Date.parse(event.time);
    if (!Number.isFinite(t)) return out;
    this.services.onEvent(event, context, t, out.verdicts);
    this.tunnels.onEvent(event, context, t, out.verdicts);
    this.fly.onEvent(event, context, t, out.verdicts);
    if (this.leak && event.service !== null && (event.type === 'service.exit' || (event.type === 'service.state' && event.to === 'starting'))) {
      this.leak.reset(event.service);
    }
    if (event.type === 'config.applied') {
      this.services.sync(context, out.verdicts);
      this.tunnels.sync(context, out.verdicts);
      this.fly.sync(context, out.verdicts);
      this.logs.sync(new Set(context.services().map((s) => s.name)), out.verdicts);
    }
    return out;
  }

  onLogLine(service: string, line: LogLineInput): RuleResult {
    const out = emptyResult();
    if (!this.logs.empty) this.logs.onLine(service, line, out.verdicts);
    return out;
  }

  /** Every verdict active now (for a lifecycle that starts after the rules). */
  active(): RuleVerdict[] {
    return [...this.eventVerdicts(), ...this.index.currentVerdicts()];
  }

  private eventVerdicts(out: RuleVerdict[] = []): RuleVerdict[] {
    this.services.list(out);
    this.tunnels.list(out);
    this.fly.list(out);
    this.logs.list(out);
    return out;
  }

  private carriedPart(rule: string): boolean {
    if ((SERVICE_RULES as readonly string[]).includes(rule)) return this.carried.services;
    if ((TUNNEL_RULES as readonly string[]).includes(rule)) return this.carried.tunnels;
    if ((FLY_RULES as readonly string[]).includes(rule)) return this.carried.fly;
    return this.carried.logs;
  }
}

const SERVICE_RULES = ['service-crashed', 'service-crash-looping', 'service-unhealthy', 'service-port-taken'] as const;
const TUNNEL_RULES = ['tunnel-down', 'tunnel-degraded', 'tunnel-url-changed'] as const;
const FLY_RULES = ['fly-app-down', 'fly-unreachable', 'fly-deploy-failing'] as const;

function pick<T extends object, K extends keyof T>(object: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, object[k]])) as Pick<T, K>;
}
