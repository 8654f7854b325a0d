// How long each service's health checks take, as a histogram fed by every check as it
// completes (the engine's onHealthCheck), not by the sampled latency: a tick sees only the
// last check before it, so checks every 2 s read at 10 s ticks would be four in five missed,
// and checks every 30 s read at 1 s ticks counted thirty times. Failed checks count too, under
// result="failed" (a timeout is how long the user waited); failed readiness polls do not:
// they are a starting service polled every few ms until it answers, not its latency.
import { Histogram, type Registry } from 'prom-client';
import type { ExporterSources, ScrapeView } from './exporter-sources.ts';

/** 1 ms to 5 s: local services answer in a few ms; the default health timeout is seconds. */
export const HEALTH_CHECK_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

const RESULTS = ['passed', 'failed'] as const;

/** Registers the histogram and starts counting; returns the unsubscribe function. */
export function registerHealthCheckHistogram(registry: Registry, sources: ExporterSources, view: () => ScrapeView): () => void {
  const seen = new Set<string>();
  const histogram = new Histogram({
    name: 'vigil_service_health_check_duration_seconds',
    help: 'How long the service\'s health checks took, counted from the first scrape of /metrics; result="failed" for checks that failed (a timeout takes the whole timeout). Readiness polls of a starting service count once they pass.',
    labelNames: ['service', 'result'],
    buckets: HEALTH_CHECK_BUCKETS,
    registers: [registry],
    collect() {
      // A service that left the stack leaves no series behind.
      const stack = new Set(view().state.services.map((s) => s.name));
      for (const service of seen) {
        if (stack.has(service)) continue;
        for (const result of RESULTS) histogram.remove({ service, result });
        seen.delete(service);
      }
    },
  });
  return sources.onHealthCheck((service, check) => {
    if (check.readiness && !check.ok) return;
    seen.add(service);
    histogram.observe({ service, result: check.ok ? 'passed' : 'failed' }, check.durationMs / 1000);
  });
}
