// A series rule that compares each series it reads with its levels (system-cpu, -memory, -disk,
// service-cpu, service-rss, and every user rule): one ThresholdTracker per series.
import type { AlertDetails, AlertSeverity, RuleVerdict } from '../../../shared/alerts.ts';
import type { SeriesLabels } from '../../../shared/metrics.ts';
import type { RuleResult } from './rule-context.ts';
import type { SeriesBinding, SeriesRule } from './series-rule.ts';
import { type ThresholdLevel, type ThresholdOp, ThresholdTracker } from './threshold-tracker.ts';
import { dashboardLink } from './verdict-format.ts';

/** What a summary is made from. */
export interface ThresholdFacts {
  key: string;
  labels: SeriesLabels;
  value: number;
  level: ThresholdLevel;
  /** How long the condition has held (0 when it just let go). */
  heldMs: number;
  active: boolean;
}

export interface ThresholdRuleSpec {
  rule: string;
  seriesName: string;
  /** Label matchers beyond the name (user rules); absent: every series of the name. */
  matches?: (labels: SeriesLabels) => boolean;
  op: ThresholdOp;
  /** The levels for one series, least severe first; null when the rule skips it (no limit set). */
  levelsFor: (labels: SeriesLabels) => ThresholdLevel[] | null;
  forMs: number;
  channels: string[];
  /** Labels the rule adds to its alerts (a user rule's `labels:`). */
  extraLabels?: Record<string, string>;
  unit?: string;
  summary: (facts: ThresholdFacts) => string;
  /** Trackers by series key, kept apart so that a reloaded RuleSet with the same rule carries
   * on where this one was (pending time, hysteresis). */
  trackers: Map<string, ThresholdTracker>;
}

export class ThresholdRule implements SeriesRule {
  readonly seriesName: string;
  private readonly spec: ThresholdRuleSpec;

  constructor(spec: ThresholdRuleSpec) {
    this.spec = spec;
    this.seriesName = spec.seriesName;
  }

  bind(key: string, labels: SeriesLabels): SeriesBinding | null {
    if (this.spec.matches && !this.spec.matches(labels)) return null;
    const levels = this.spec.levelsFor(labels);
    if (!levels || levels.length === 0) return null;
    let tracker = this.spec.trackers.get(key);
    if (!tracker) {
      tracker = new ThresholdTracker(this.spec.op, levels, this.spec.forMs);
      this.spec.trackers.set(key, tracker);
    }
    return new ThresholdBinding(this.spec, key, labels, tracker);
  }
}

class ThresholdBinding implements SeriesBinding {
  private readonly spec: ThresholdRuleSpec;
  private readonly key: string;
  private readonly seriesLabels: SeriesLabels;
  private readonly alertLabels: Record<string, string>;
  private readonly link: string;
  private readonly tracker: ThresholdTracker;
  private lastValue = Number.NaN;
  private last: RuleVerdict | null = null;

  constructor(spec: ThresholdRuleSpec, key: string, labels: SeriesLabels, tracker: ThresholdTracker) {
    this.spec = spec;
    this.key = key;
    this.seriesLabels = labels;
    this.alertLabels = { ...labels, ...spec.extraLabels, alertname: spec.rule };
    this.link = dashboardLink(this.alertLabels);
    this.tracker = tracker;
  }

  get active(): boolean {
    return this.tracker.active;
  }

  current(): RuleVerdict | null {
    return this.tracker.active ? this.last : null;
  }

  forget(): void {
    this.spec.trackers.delete(this.key);
  }

  resume(t: number): void {
    this.tracker.restartPending(t);
  }

  observe(value: number, t: number, _tick: unknown, out: RuleResult): void {
    const was = this.tracker.active;
    const level = was ? this.tracker.level : null;
    this.tracker.update(value, t);
    this.lastValue = value;
    if (this.tracker.active) {
      this.last = this.verdict(true, this.tracker.level, t - this.tracker.activeSince!);
      out.verdicts.push(this.last);
    } else if (was) {
      this.last = null;
      out.verdicts.push(this.verdict(false, level!, 0));
    }
  }

  stale(_t: number, out: RuleResult): void {
    if (!this.tracker.active) return;
    const verdict = this.verdict(false, this.tracker.level, 0);
    this.tracker.reset();
    this.last = null;
    out.verdicts.push({ ...verdict, summary: `${verdict.summary} (no data for a while)` });
  }

  private verdict(active: boolean, level: ThresholdLevel, heldMs: number): RuleVerdict {
    const spec = this.spec;
    const facts: ThresholdFacts = { key: this.key, labels: this.seriesLabels, value: this.lastValue, level, heldMs, active };
    const details: AlertDetails = { value: this.lastValue, threshold: level.threshold, series: this.key };
    if (spec.unit) details.unit = spec.unit;
    if (this.seriesLabels.service) details.service = this.seriesLabels.service;
    const severity: AlertSeverity = level.severity;
    return {
      rule: spec.rule,
      labels: this.alertLabels,
      active,
      severity,
      forMs: spec.forMs,
      summary: spec.summary(facts),
      details,
      channels: spec.channels,
      link: this.link,
    };
  }
}
