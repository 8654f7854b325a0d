// service-leak: a service's memory (service_rss_bytes) that grows steadily enough to reach its
// limit within the horizon: "server reaches 2 GB in about 12 min". The trend is Theil–Sen over
// the last `window` in 30 buckets, judged when a bucket closes, and believed only with enough
// points (10 buckets, a third of the window) and a Mann–Kendall z above 2.33 (a rise that
// steady happens by chance less than 1 % of the time). The limit is the service's
// alerts.limits.<service>.rss, else the machine's memory.
//
// With restart_before_oom, when the limit is within `restart_lead` the rule asks the engine to
// restart the service (a RuleResult action; the integrator calls the supervisor) and the alert
// says so; the window starts over, so the next request needs a fresh, full trend.
import type { RuleVerdict } from '../../../shared/alerts.ts';
import type { MetricsTick, SeriesLabels } from '../../../shared/metrics.ts';
import type { LeakSettings, ServiceLimits } from '../config/rules-config.ts';
import { DownsampledWindow, WINDOW_BUCKETS } from './downsampled-window.ts';
import { median, robustTrend } from './robust-trend.ts';
import type { RuleAction, RuleResult } from './rule-context.ts';
import type { SeriesBinding, SeriesRule } from './series-rule.ts';
import { dashboardLink, formatBytes, spokenDuration } from './verdict-format.ts';

export const MIN_POINTS = 10;
/** z for a new forecast (one-sided 99 %), and for keeping one (95 %): hysteresis. */
const Z_TO_RAISE = 2.33;
const Z_TO_KEEP = 1.64;
/** A firing forecast lets go only once the limit is this much further than the horizon. */
const HORIZON_TO_KEEP = 1.5;
/** Memory falling below this share of the last point means the process started over. */
const RESTART_DROP = 0.5;

/** What the rule knows of one service's memory, kept apart from the bindings so that a
 * reloaded RuleSet with the same settings and limits takes it over (see rule-memory.ts). */
export interface LeakState {
  window: DownsampledWindow;
  forecast: Forecast | null;
  /** Set when Vigil restarted the service; kept until a fresh trend is judged. */
  restartNote: string | null;
  last: RuleVerdict | null;
  /** A reset let go of an active forecast between ticks: the next tick says so. */
  closing: boolean;
}

export type LeakStore = Map<string, LeakState>;

// One evaluation at a time (the engine is single-threaded): shared scratch space.
const times = new Float64Array(WINDOW_BUCKETS);
const values = new Float64Array(WINDOW_BUCKETS);
const slopes = new Float64Array((WINDOW_BUCKETS * (WINDOW_BUCKETS - 1)) / 2);
const thirds = new Float64Array(WINDOW_BUCKETS);

interface Forecast {
  limit: number;
  limitText: string;
  /** ms since the epoch. */
  reachesAt: number;
  now: number;
  perMinute: number;
}

/** A fixed place in [0, 1) for a key (FNV-1a): spreads the services' trend fits over ticks. */
function spread(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) / 2 ** 32;
}

/** Whether the window (in `times`/`values`) rises fast enough that the fit is worth its cost:
 * the medians of its first and last thirds give a rough slope, and the fit runs only when four
 * times that slope would reach the limit within the horizon. Most services do not leak, and
 * this look costs a twentieth of the fit. */
function mightReach(n: number, limit: number, horizonMs: number): boolean {
  const third = Math.max(1, Math.floor(n / 3));
  const medianOf = (from: number) => {
    const part = thirds.subarray(0, third);
    for (let i = 0; i < third; i++) part[i] = values[from + i]!;
    return median(part);
  };
  const early = medianOf(0);
  const late = medianOf(n - third);
  const span = times[n - 1 - (third >> 1)]! - times[third >> 1]!;
  if (!(span > 0) || late <= early) return false;
  const rough = (late - early) / span;
  return late + 4 * rough * horizonMs >= limit;
}

export class LeakForecastRule implements SeriesRule {
  readonly seriesName = 'service_rss_bytes';
  readonly settings: LeakSettings;
  private readonly limits: Record<string, ServiceLimits>;
  private readonly store: LeakStore;
  private readonly bindings = new Map<string, LeakBinding>();

  constructor(settings: LeakSettings, limits: Record<string, ServiceLimits>, store: LeakStore) {
    this.settings = settings;
    this.limits = limits;
    this.store = store;
  }

  bind(key: string, labels: SeriesLabels): SeriesBinding | null {
    const service = labels.service;
    if (!service) return null;
    let state = this.store.get(key);
    if (!state) {
      state = { window: new DownsampledWindow(this.settings.windowMs, spread(key)), forecast: null, restartNote: null, last: null, closing: false };
      this.store.set(key, state);
    }
    const limits = Object.hasOwn(this.limits, service) ? this.limits[service]! : null;
    const binding = new LeakBinding(this, key, service, state, limits);
    this.bindings.set(service, binding);
    return binding;
  }

  /** The service restarted: its memory starts over, and so does its trend. */
  reset(service: string): void {
    this.bindings.get(service)?.reset();
  }

  forget(key: string, service: string): void {
    this.store.delete(key);
    this.bindings.delete(service);
  }
}

class LeakBinding implements SeriesBinding {
  private readonly rule: LeakForecastRule;
  private readonly key: string;
  private readonly service: string;
  private readonly state: LeakState;
  private readonly window: DownsampledWindow;
  private readonly limits: ServiceLimits | null;
  private readonly labels: Record<string, string>;

  constructor(rule: LeakForecastRule, key: string, service: string, state: LeakState, limits: ServiceLimits | null) {
    this.rule = rule;
    this.key = key;
    this.service = service;
    this.state = state;
    this.window = state.window;
    this.limits = limits;
    this.labels = { service, alertname: 'service-leak' };
  }

  get active(): boolean {
    return this.state.forecast !== null || this.state.restartNote !== null;
  }

  current(): RuleVerdict | null {
    return this.active ? this.state.last : null;
  }

  observe(value: number, t: number, tick: MetricsTick, out: RuleResult): void {
    const was = this.active || this.state.closing;
    this.state.closing = false;
    if (this.window.points > 0 && value < RESTART_DROP * this.window.last) this.reset();
    if (this.window.add(t, value)) this.judge(t, value, tick, out.actions);
    if (this.active) {
      this.state.last = this.verdict(true, t);
      out.verdicts.push(this.state.last);
    } else if (was) {
      this.state.last = null;
      out.verdicts.push(this.verdict(false, t));
    }
  }

  stale(t: number, out: RuleResult): void {
    if (!this.active) return;
    const verdict = this.verdict(false, t);
    this.state.forecast = null;
    this.state.restartNote = null;
    this.state.last = null;
    out.verdicts.push(verdict);
  }

  forget(): void {
    this.rule.forget(this.key, this.service);
  }

  reset(): void {
    this.window.clear();
    if (this.state.forecast) this.state.closing = true;
    this.state.forecast = null;
  }

  private judge(t: number, value: number, tick: MetricsTick, actions: RuleAction[]): void {
    const settings = this.rule.settings;
    const n = this.window.copy(times, values, t);
    if (n < MIN_POINTS || this.window.spanMs < settings.windowMs / 3) {
      this.state.forecast = null;
      return;
    }
    this.state.restartNote = null;
    const machine = tick.values.system_memory_total_bytes;
    const limit = this.limits?.rssBytes ?? (machine !== undefined && machine > 0 ? machine : null);
    const keeping = this.state.forecast !== null;
    if (limit === null || (!keeping && !mightReach(n, limit, settings.horizonMs))) {
      this.state.forecast = null;
      return;
    }
    const trend = robustTrend(times, values, n, slopes);
    if (!trend || trend.slope <= 0 || trend.z < (keeping ? Z_TO_KEEP : Z_TO_RAISE)) {
      this.state.forecast = null;
      return;
    }
    // Times are relative to now: the intercept is the trend's value now.
    const now = trend.intercept;
    const leftMs = (limit - now) / trend.slope;
    const limitText = this.limits?.rssBytes ? formatBytes(limit) : `the machine's memory (${formatBytes(limit)})`;
    const restart = this.limits?.restartBeforeOom === true;
    if (restart && (value >= limit || (leftMs >= 0 && leftMs <= settings.restartLeadMs))) {
      const when = leftMs > 0 && now < limit ? `would reach ${limitText} in about ${spokenDuration(leftMs)}` : `is at ${formatBytes(value)}, past ${limitText}`;
      this.state.restartNote = `${this.service} ${when}: Vigil restarted it before it runs out of memory (restart_before_oom)`;
      actions.push({ kind: 'restart-service', service: this.service, rule: 'service-leak', reason: this.state.restartNote });
      this.window.clear();
      this.state.forecast = null;
      return;
    }
    const horizon = settings.horizonMs * (keeping ? HORIZON_TO_KEEP : 1);
    this.state.forecast = now < limit && leftMs <= horizon ? { limit, limitText, reachesAt: t + leftMs, now, perMinute: trend.slope * 60_000 } : null;
  }

  private verdict(active: boolean, t: number): RuleVerdict {
    const settings = this.rule.settings;
    const f = this.state.forecast;
    const restart = this.limits?.restartBeforeOom === true;
    let summary: string;
    if (this.state.restartNote) summary = this.state.restartNote;
    else if (f && active) {
      const then = restart ? `; Vigil restarts it when ${spokenDuration(settings.restartLeadMs)} are left` : '';
      summary = `${this.service} reaches ${f.limitText} in about ${spokenDuration(f.reachesAt - t)} (now ${formatBytes(f.now)}, growing ${formatBytes(f.perMinute)}/min)${then}`;
    } else summary = `${this.service}: memory no longer on course to its limit`;
    const facts: Record<string, string> = {};
    if (f) facts.trend = `+${formatBytes(f.perMinute)}/min over the last ${spokenDuration(this.window.spanMs)}`;
    return {
      rule: 'service-leak',
      labels: this.labels,
      active,
      severity: settings.severity,
      forMs: 0,
      summary,
      details: {
        service: this.service,
        series: this.key,
        unit: 'bytes',
        value: f?.now ?? null,
        threshold: f?.limit ?? this.limits?.rssBytes ?? null,
        forecast: f ? { limit: f.limit, reachesAt: new Date(f.reachesAt).toISOString() } : null,
        facts,
      },
      channels: settings.channels,
      link: dashboardLink(this.labels),
    };
  }
}
