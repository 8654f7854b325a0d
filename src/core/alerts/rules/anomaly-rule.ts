// service-anomaly: a series far above its own baseline (anomaly-baseline.ts) is flagged; the
// alert fires once it stays flagged for `for`. Far means both: more than `sensitivity`
// deviations above the mean, and more than a floor that makes sense for the series (a service
// idling at 0.5 % CPU with a deviation of 0.1 is not anomalous at 2 %). Only rises are judged:
// a service that got faster or leaner needs nobody.
//
// So that a long incident does not become the new normal, values beyond the line are clipped
// to it before they are learned, and while flagged they are learned 20 times more slowly.
// A level shift that lasts (a deploy that really uses more memory) is accepted after hours.
import type { RuleVerdict } from '../../../shared/alerts.ts';
import type { SeriesLabels } from '../../../shared/metrics.ts';
import type { AnomalySettings } from '../config/rules-config.ts';
import { type BaselineOptions, EwmaBaseline } from './anomaly-baseline.ts';
import type { RuleResult } from './rule-context.ts';
import type { SeriesBinding, SeriesRule } from './series-rule.ts';
import { dashboardLink, formatValue, spokenDuration, unitOfSeries } from './verdict-format.ts';

/** While flagged, a value is learned with this weight. */
export const FLAGGED_LEARNING = 1 / 20;
/** A flagged series lets go only below this share of the line (hysteresis). */
const LET_GO = 0.75;
const MIN_SAMPLES = 20;
const MAX_STEP_MS = 60_000;

interface Floor {
  /** Smallest rise that counts, in the series' unit. */
  absolute: number;
  /** Smallest rise that counts, as a share of the mean. */
  relative: number;
  what: string;
}

const FLOORS: Record<string, Floor> = {
  service_health_latency_ms: { absolute: 20, relative: 0.5, what: 'health-check latency' },
  service_cpu_percent: { absolute: 10, relative: 0.5, what: 'CPU' },
  service_rss_bytes: { absolute: 64 * 1024 ** 2, relative: 0.2, what: 'memory' },
};
const DEFAULT_FLOOR: Omit<Floor, 'what'> = { absolute: 0, relative: 0.1 };

/** What the rule knows of one series, kept apart from the bindings so that a reloaded RuleSet
 * with the same settings takes it over (see rule-memory.ts). */
export interface AnomalyState {
  baseline: EwmaBaseline;
  /** Since when the series has been far out; null when it is not. */
  flaggedSince: number | null;
  last: RuleVerdict | null;
}

export type AnomalyStore = Map<string, AnomalyState>;

export class AnomalyRule implements SeriesRule {
  readonly seriesName: string;
  private readonly settings: AnomalySettings;
  private readonly store: AnomalyStore;
  private readonly floor: Floor;
  private readonly baselineOptions: BaselineOptions;

  constructor(seriesName: string, settings: AnomalySettings, store: AnomalyStore) {
    this.seriesName = seriesName;
    this.settings = settings;
    this.store = store;
    this.floor = FLOORS[seriesName] ?? { ...DEFAULT_FLOOR, what: seriesName };
    this.baselineOptions = { halfLifeMs: settings.halfLifeMs, warmupMs: settings.warmupMs, minSamples: MIN_SAMPLES, maxStepMs: MAX_STEP_MS };
  }

  bind(key: string, labels: SeriesLabels): SeriesBinding {
    let state = this.store.get(key);
    if (!state) {
      state = { baseline: new EwmaBaseline(this.baselineOptions), flaggedSince: null, last: null };
      this.store.set(key, state);
    }
    return new AnomalyBinding(this, key, labels, state);
  }

  /** The rise above the mean that counts as far, given the baseline. */
  line(baseline: EwmaBaseline): number {
    const floor = Math.max(this.floor.absolute, this.floor.relative * Math.abs(baseline.mean));
    return Math.max(this.settings.sensitivity * baseline.deviation, floor);
  }

  verdict(binding: AnomalyBinding, active: boolean, value: number, t: number): RuleVerdict {
    const { labels, key } = binding;
    const { baseline, flaggedSince } = binding.state;
    const unit = unitOfSeries(this.seriesName);
    const alertLabels = { ...labels, metric: this.seriesName, alertname: 'service-anomaly' };
    const usual = `${formatValue(baseline.mean, unit)} ± ${formatValue(baseline.deviation, unit)}`;
    const who = labels.service ? `${labels.service}: ` : '';
    const summary = active
      ? `${who}${this.floor.what} ${formatValue(value, unit)}, usually ${usual}${flaggedSince !== null && t > flaggedSince ? `, for ${spokenDuration(t - flaggedSince)}` : ''}`
      : `${who}${this.floor.what} back to ${formatValue(value, unit)} (usually ${usual})`;
    return {
      rule: 'service-anomaly',
      labels: alertLabels,
      active,
      severity: this.settings.severity,
      forMs: this.settings.forMs,
      summary,
      details: {
        value,
        threshold: baseline.mean + this.line(baseline),
        series: key,
        ...(unit ? { unit } : {}),
        ...(labels.service ? { service: labels.service } : {}),
        facts: { usually: usual, 'learned over': spokenDuration(baseline.lastAt - baseline.firstAt) },
      },
      channels: this.settings.channels,
      link: dashboardLink(alertLabels),
    };
  }

  forget(key: string): void {
    this.store.delete(key);
  }
}

class AnomalyBinding implements SeriesBinding {
  readonly key: string;
  readonly labels: SeriesLabels;
  readonly state: AnomalyState;
  private readonly rule: AnomalyRule;

  constructor(rule: AnomalyRule, key: string, labels: SeriesLabels, state: AnomalyState) {
    this.rule = rule;
    this.key = key;
    this.labels = labels;
    this.state = state;
  }

  get active(): boolean {
    return this.state.flaggedSince !== null;
  }

  current(): RuleVerdict | null {
    return this.state.flaggedSince !== null ? this.state.last : null;
  }

  observe(value: number, t: number, _tick: unknown, out: RuleResult): void {
    const state = this.state;
    const baseline = state.baseline;
    if (!baseline.ready) {
      baseline.learn(value, t);
      return;
    }
    const line = this.rule.line(baseline);
    const rise = value - baseline.mean;
    const was = state.flaggedSince !== null;
    const far = rise > (was ? LET_GO * line : line);
    if (far && !was) state.flaggedSince = t;
    if (!far) state.flaggedSince = null;
    if (far || was) {
      const verdict = this.rule.verdict(this, far, value, t);
      state.last = far ? verdict : null;
      out.verdicts.push(verdict);
    }
    // Learn after judging, and learn the value clipped to the line: one wild value moves the
    // baseline no more than a value at the line would.
    const clipped = Math.min(Math.max(value, baseline.mean - line), baseline.mean + line);
    baseline.learn(clipped, t, far ? FLAGGED_LEARNING : 1);
  }

  stale(t: number, out: RuleResult): void {
    if (this.state.flaggedSince === null) return;
    const verdict = this.rule.verdict(this, false, this.state.baseline.mean, t);
    this.state.flaggedSince = null;
    this.state.last = null;
    out.verdicts.push({ ...verdict, summary: `${verdict.summary} (no data for a while)` });
  }

  forget(): void {
    this.rule.forget(this.key);
  }

  resume(t: number): void {
    if (this.state.flaggedSince !== null) this.state.flaggedSince = t;
  }
}
