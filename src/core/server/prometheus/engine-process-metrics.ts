// prom-client's default metrics of the process the engine runs in (CPU, memory, heap, event
// loop lag, GC, open files), under vigil_engine_ so that they are not taken for a service's.
// One registry per process: they describe the process, however many engines it holds (tests).
// Started at the first scrape, never before: the event-loop-lag histogram wakes the process on
// a timer, and at prom-client's default of every 10 ms that costs an idle engine about 9 ms of
// CPU a second (`npm run bench -- scrape`); every 100 ms it is about 1 ms a second above a
// process with none, and lag spikes still show (each late timer is measured to the
// nanosecond; there are fewer of them).
// prom-client names three gauges _total (nodejs_active_handles_total and the like), which
// Prometheus keeps for counters (promtool check metrics refuses them); the same counts are there
// by type without the suffix (nodejs_active_handles{type}), so those three are left out.
import { collectDefaultMetrics, Registry } from 'prom-client';

const EVENT_LOOP_PRECISION_MS = 100;
const PREFIX = 'vigil_engine_';
const GAUGES_NAMED_LIKE_COUNTERS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

let registry: Registry | null = null;

export function engineProcessRegistry(): Registry {
  if (!registry) {
    registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: PREFIX, eventLoopMonitoringPrecision: EVENT_LOOP_PRECISION_MS });
    for (const name of GAUGES_NAMED_LIKE_COUNTERS) registry.removeSingleMetric(PREFIX + name);
  }
  return registry;
}
