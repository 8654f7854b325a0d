// The supervisor's services as the sampler takes them: the root of each process tree and the
// stack file's metrics: endpoint. The engine hands these to MetricsSampler.setServices after
// every reload and every change of a service's process (a restart gives it a new pid).
import type { ServiceView } from '../../supervisor/service-runner.ts';
import type { SampledService } from './metrics-sampler.ts';

export function sampledServices(services: readonly ServiceView[]): SampledService[] {
  return services.map((s) => ({ name: s.name, pid: s.currentPid, adopted: s.isAdopted, metrics: s.config.metrics }));
}
