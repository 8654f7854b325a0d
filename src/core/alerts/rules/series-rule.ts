// Rules that read series (thresholds, anomalies, the leak forecast). Each one names the series
// it reads; the index binds it once to every series key of that name it matches, and a tick
// then costs a map lookup per key plus the bindings' own work.
import type { MetricsTick, SeriesLabels } from '../../../shared/metrics.ts';
import type { RuleVerdict } from '../../../shared/alerts.ts';
import type { RuleResult } from './rule-context.ts';

export interface SeriesRule {
  /** The series name this rule reads (e.g. service_cpu_percent). */
  readonly seriesName: string;
  /** This rule's binding to one series, or null when it does not read that one. */
  bind(key: string, labels: SeriesLabels): SeriesBinding | null;
}

export interface SeriesBinding {
  /** Takes the series' value at a tick; pushes the verdict when active or just let go. */
  observe(value: number, t: number, tick: MetricsTick, out: RuleResult): void;
  /** No value for a while (the service left, the sampler stopped): lets go, saying so. */
  stale(t: number, out: RuleResult): void;
  /** Ticks stopped for a while (the machine slept): time spent pending does not count the
   * gap. An alert already past its `for` stays as it is. */
  resume?(t: number): void;
  /** The binding is dropped for good: release what it keeps for this series. */
  forget?(): void;
  readonly active: boolean;
  /** The verdict last reported while active (null when not active): what a hand-over closes. */
  current(): RuleVerdict | null;
}
