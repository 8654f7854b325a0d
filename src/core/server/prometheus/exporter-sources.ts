// What /metrics reads from the engine. Gauges read it at scrape time (nothing is done for
// /metrics between scrapes but two counts kept from events: health checks and CPU time).
import type { HistoryStatus, MetricsTick, StateSnapshot } from '../../../shared/contract.ts';
import type { Engine, HealthCheckListener } from '../../engine.ts';

/** The sampled metrics (engine.metrics): the newest values, each tick, the history's status. */
export interface SampledMetrics {
  latest(): MetricsTick;
  onTick(listener: (tick: MetricsTick) => void): () => void;
  historyStatus(): HistoryStatus;
  /** Somebody is looking: a scrape keeps sampling at the active interval for a while. */
  watch(who: 'scrape'): () => void;
}

export interface ExporterSources {
  snapshot(): StateSnapshot;
  onHealthCheck(listener: HealthCheckListener): () => void;
  /** Null where the engine samples no metrics: only the snapshot's series are served. */
  metrics: SampledMetrics | null;
}

export function engineSources(engine: Engine): ExporterSources {
  return {
    snapshot: () => engine.snapshot(),
    onHealthCheck: (listener) => engine.onHealthCheck(listener),
    metrics: null,
  };
}

/** What one scrape sees: read once, before the families' collect() run. */
export interface ScrapeView {
  state: StateSnapshot;
  /** The newest value of every sampled series, by name (keys parsed once; see sampled-series.ts). */
  sampled: SampledSeries;
  history: HistoryStatus | null;
}

export interface SampledValue {
  labels: Record<string, string>;
  value: number;
}

/** Sampled values by series name. */
export type SampledSeries = ReadonlyMap<string, readonly SampledValue[]>;
