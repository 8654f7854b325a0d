// What /metrics reads from the engine. Gauges read it at scrape time (nothing is done for
// /metrics between scrapes but two counts kept from events: health checks and CPU time).
import type { HistoryStatus, StateSnapshot } from '../../../shared/contract.ts';
import type { Engine, HealthCheckListener } from '../../engine.ts';
import type { MetricsSubsystem } from '../../metrics/metrics-subsystem.ts';

/** The sampled metrics (engine.metrics): the newest values, each tick, the history's status,
 * and watch('scrape'), by which a scrape keeps sampling at the active interval for a while. */
export type SampledMetrics = Pick<MetricsSubsystem, 'latest' | 'onTick' | 'historyStatus' | 'watch'>;

export interface ExporterSources {
  snapshot(): StateSnapshot;
  onHealthCheck(listener: HealthCheckListener): () => void;
  metrics: SampledMetrics;
}

export function engineSources(engine: Engine): ExporterSources {
  return {
    snapshot: () => engine.snapshot(),
    onHealthCheck: (listener) => engine.onHealthCheck(listener),
    metrics: engine.metrics,
  };
}

/** What one scrape sees: read once, before the families' collect() run. */
export interface ScrapeView {
  state: StateSnapshot;
  /** The newest value of every sampled series, by name (keys parsed once; see sampled-series.ts). */
  sampled: SampledSeries;
  history: HistoryStatus;
}

export interface SampledValue {
  labels: Record<string, string>;
  value: number;
}

/** Sampled values by series name. */
export type SampledSeries = ReadonlyMap<string, readonly SampledValue[]>;
