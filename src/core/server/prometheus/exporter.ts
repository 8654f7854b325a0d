// /metrics: one prom-client Registry per engine (never the global one, which any library in
// the process could fill), whose families read the engine when Prometheus scrapes. Nothing of
// it exists until the first scrape: an engine nobody scrapes pays for none of it, not even
// loading prom-client (this module is imported on demand by the route).
import { Registry } from 'prom-client';
import type { Engine } from '../../engine.ts';
import { engineProcessRegistry } from './engine-process-metrics.ts';
import { engineSources, type ExporterSources, type ScrapeView } from './exporter-sources.ts';
import { registerFlyMetrics } from './fly-metrics.ts';
import { registerHealthCheckHistogram } from './health-check-histogram.ts';
import { SampledSeriesIndex } from './sampled-series.ts';
import { registerServiceCpuTime } from './service-cpu-time.ts';
import { registerServiceMetrics } from './service-metrics.ts';
import { registerSystemMetrics } from './system-metrics.ts';
import { registerTunnelMetrics } from './tunnel-metrics.ts';
import { registerVigilMetrics } from './vigil-metrics.ts';

/** The sampled series the families read: system_*, service_*, tunnel_*. */
const MAPPED_PREFIXES = ['system_', 'service_', 'tunnel_'];

export interface PrometheusExporterOptions {
  /** prom-client's default metrics of this process, as vigil_engine_* (default true). */
  processMetrics?: boolean;
}

export class PrometheusExporter {
  readonly registry = new Registry();
  private readonly sources: ExporterSources;
  private readonly processMetrics: boolean;
  private readonly index = new SampledSeriesIndex();
  private readonly stops: (() => void)[] = [];
  /** What the scrape under way sees (the families' collect() all run at its start). */
  private current: ScrapeView;

  constructor(sources: ExporterSources, options: PrometheusExporterOptions = {}) {
    this.sources = sources;
    this.processMetrics = options.processMetrics ?? true;
    this.current = this.read();
    const view = () => this.current;
    registerVigilMetrics(this.registry, view);
    registerServiceMetrics(this.registry, view);
    this.stops.push(registerServiceCpuTime(this.registry, sources, view));
    this.stops.push(registerHealthCheckHistogram(this.registry, sources, view));
    registerSystemMetrics(this.registry, view);
    registerTunnelMetrics(this.registry, view);
    registerFlyMetrics(this.registry, view);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text Prometheus reads. A scrape counts as someone looking: sampling runs at the
   * active interval for a while after it. */
  async scrape(): Promise<string> {
    this.sources.metrics.watch('scrape')();
    this.current = this.read();
    const own = await this.registry.metrics();
    return this.processMetrics ? `${own}${await engineProcessRegistry().metrics()}` : own;
  }

  private read(): ScrapeView {
    const metrics = this.sources.metrics;
    return {
      state: this.sources.snapshot(),
      sampled: this.index.group(metrics.latest(), (name) => MAPPED_PREFIXES.some((p) => name.startsWith(p))),
      history: metrics.historyStatus(),
    };
  }

  /** Stops counting health checks and CPU time. */
  close(): void {
    for (const stop of this.stops.splice(0)) stop();
  }
}

const exporters = new WeakMap<Engine, PrometheusExporter>();

/** The exporter of `engine`, made at its first scrape. */
export function scrapeEngine(engine: Engine): Promise<string> {
  let exporter = exporters.get(engine);
  if (!exporter) {
    exporter = new PrometheusExporter(engineSources(engine));
    exporters.set(engine, exporter);
  }
  return exporter.scrape();
}
