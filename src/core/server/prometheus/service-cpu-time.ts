// CPU time per service as a counter, vigil_service_cpu_seconds_total, which is what PromQL
// expects (rate() of it is the cores the service keeps busy, averaged over any window, the way
// process_cpu_seconds_total and container_cpu_usage_seconds_total are read). The sampler gives
// a share of a core per interval; that share times the interval is exactly the CPU time its
// tree used in it, so the counter adds those up at every tick. A gauge of the last interval's
// share would show Prometheus one second out of every fifteen.
//
// Which interval a share covers: the sampler reads each tree at every tick, writes its memory
// at every reading and its CPU share from the second reading of the same root on, covering the
// time since the previous reading. So the share at t covers [the tick that last had the
// service's memory, t], whatever the ticks' spacing (1 s, 10 s, a skipped tick, a restart).
import { Counter, type Registry } from 'prom-client';
import { type MetricsTick, parseSeriesKey } from '../../../shared/contract.ts';
import type { ExporterSources, ScrapeView } from './exporter-sources.ts';
import { forgetSeries } from './forget-series.ts';

const CPU_PREFIX = 'service_cpu_percent{';
const MEMORY_PREFIX = 'service_rss_bytes{';

export class ServiceCpuTime {
  private readonly seconds = new Map<string, number>();
  private readonly lastReadAt = new Map<string, number>();
  private readonly serviceOfKey = new Map<string, string | null>();

  /** Adds up one sampling tick. */
  add(tick: MetricsTick): void {
    const shares: [service: string, percent: number][] = [];
    const read: string[] = [];
    // for...in, not Object.entries: a tick has hundreds of keys and this runs at every one.
    for (const key in tick.values) {
      const value = tick.values[key]!;
      if (key.startsWith(CPU_PREFIX)) {
        const service = this.serviceOf(key);
        if (service !== null && Number.isFinite(value) && value >= 0) shares.push([service, value]);
      } else if (key.startsWith(MEMORY_PREFIX)) {
        const service = this.serviceOf(key);
        if (service !== null) read.push(service);
      }
    }
    for (const [service, percent] of shares) {
      const since = this.lastReadAt.get(service);
      if (since === undefined || tick.t <= since) continue; // counting began after that reading
      this.seconds.set(service, (this.seconds.get(service) ?? 0) + ((percent / 100) * (tick.t - since)) / 1000);
    }
    for (const service of read) this.lastReadAt.set(service, tick.t);
  }

  /** Seconds counted per service. */
  totals(): ReadonlyMap<string, number> {
    return this.seconds;
  }

  /** Forgets services that left the stack (a service added again starts from 0, which
   * Prometheus reads as a counter reset). */
  keepOnly(services: ReadonlySet<string>): void {
    for (const map of [this.seconds, this.lastReadAt]) for (const name of map.keys()) if (!services.has(name)) map.delete(name);
    if (this.serviceOfKey.size > 10_000) this.serviceOfKey.clear();
  }

  private serviceOf(key: string): string | null {
    let service = this.serviceOfKey.get(key);
    if (service === undefined) {
      try {
        service = parseSeriesKey(key).labels.service ?? null;
      } catch {
        service = null;
      }
      this.serviceOfKey.set(key, service);
    }
    return service;
  }
}

/** Registers the counter and starts adding up ticks; returns the unsubscribe function. */
export function registerServiceCpuTime(registry: Registry, sources: ExporterSources, view: () => ScrapeView): () => void {
  const cpuTime = new ServiceCpuTime();
  new Counter({
    name: 'vigil_service_cpu_seconds_total',
    help: "CPU time used by the service's whole process tree, in seconds, counted from the first scrape of /metrics: rate() of it is the number of cores the service keeps busy.",
    labelNames: ['service'],
    registers: [registry],
    collect() {
      forgetSeries(this);
      cpuTime.keepOnly(new Set(view().state.services.map((s) => s.name)));
      for (const [service, seconds] of cpuTime.totals()) this.inc({ service }, seconds);
    },
  });
  return sources.metrics.onTick((tick) => cpuTime.add(tick));
}
