// The supervisor's services as the sampler takes them. The engine hands sampledServices() to
// MetricsSampler.setServices after every reload and every change of a service's process (a
// restart gives it a new pid), and passes supervisorStats() as the sampler's supervisorStats.
import type { ServiceView } from '../../supervisor/service-runner.ts';
import type { SampledService } from './metrics-sampler.ts';
import type { SupervisorStats } from './supervisor-series.ts';

/** The root of each service's process tree and the stack file's metrics: endpoint. */
export function sampledServices(services: readonly ServiceView[]): SampledService[] {
  return services.map((s) => ({ name: s.name, pid: s.currentPid, adopted: s.isAdopted, metrics: s.config.metrics }));
}

/** What only the supervisor knows, at `now` on the engine's clock. The health latency is that
 * of the last check when it passed: a refused connection fails in a fraction of a millisecond
 * and a hung service takes the whole timeout, and neither is how fast the service answers. */
export function supervisorStats(services: readonly ServiceView[], now: number): SupervisorStats[] {
  return services.map((s) => {
    const startedAt = s.processStartedAt;
    const check = s.lastHealthCheck;
    return {
      name: s.name,
      restarts: s.restartCount,
      uptimeMs: startedAt === null ? null : Math.max(0, now - startedAt),
      healthLatencyMs: check?.ok ? check.durationMs : null,
    };
  });
}
