// The services of the stack: up, state, restarts, start time (from the state snapshot), and
// memory, threads and processes of each one's whole process tree (from the sampler).
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ServiceState } from '../../../shared/contract.ts';
import { setEnum } from './enum-gauge.ts';
import type { ScrapeView } from './exporter-sources.ts';
import { forgetSeries } from './forget-series.ts';

const SERVICE_STATES: readonly ServiceState[] = ['starting', 'running', 'unhealthy', 'backoff', 'crash-looping', 'stopped'];

/** Vigil's per-service series (service_*{service}) and their Prometheus names. */
const TREE_GAUGES = [
  {
    series: 'service_rss_bytes',
    name: 'vigil_service_resident_memory_bytes',
    help: "Resident memory of the service's whole process tree (its process and every descendant), in bytes.",
  },
  { series: 'service_threads', name: 'vigil_service_threads', help: "Threads in the service's process tree (absent where the OS does not tell: macOS)." },
  { series: 'service_processes', name: 'vigil_service_processes', help: "Processes in the service's tree: its own and every descendant." },
] as const;

export function registerServiceMetrics(registry: Registry, view: () => ScrapeView): void {
  new Gauge({
    name: 'vigil_service_up',
    help: 'Whether the service is up: 1 when it runs and passes its health check (state "running"), 0 otherwise (starting, unhealthy, backing off, crash-looping, stopped).',
    labelNames: ['service'],
    registers: [registry],
    collect() {
      forgetSeries(this);
      for (const s of view().state.services) this.set({ service: s.name }, s.state === 'running' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'vigil_service_state',
    help: `The service's state: 1 for the one it is in, 0 for the others (${SERVICE_STATES.join(', ')}).`,
    labelNames: ['service', 'state'],
    registers: [registry],
    collect() {
      forgetSeries(this);
      for (const s of view().state.services) setEnum(this, { service: s.name }, 'state', SERVICE_STATES, s.state);
    },
  });
  new Counter({
    name: 'vigil_service_restarts_total',
    help: 'Restarts of the service since Vigil started: after a crash or a hang, and those asked for.',
    labelNames: ['service'],
    registers: [registry],
    collect() {
      forgetSeries(this);
      for (const s of view().state.services) this.inc({ service: s.name }, s.restarts);
    },
  });
  new Gauge({
    name: 'vigil_service_start_time_seconds',
    help: "When the service's current process started, in seconds since the Unix epoch (absent while it has none): time() - this is its uptime.",
    labelNames: ['service'],
    registers: [registry],
    collect() {
      forgetSeries(this);
      for (const s of view().state.services) if (s.startedAt) this.set({ service: s.name }, Date.parse(s.startedAt) / 1000);
    },
  });
  for (const family of TREE_GAUGES) {
    new Gauge({
      name: family.name,
      help: family.help,
      labelNames: ['service'],
      registers: [registry],
      collect() {
        forgetSeries(this);
        const { state, sampled } = view();
        // Only services of the stack that have a process now: never a last value of one that
        // stopped or left.
        const running = new Set(state.services.filter((s) => s.pid !== null).map((s) => s.name));
        for (const { labels, value } of sampled.get(family.series) ?? []) {
          if (labels.service !== undefined && running.has(labels.service)) this.set({ service: labels.service }, value);
        }
      },
    });
  }
}
