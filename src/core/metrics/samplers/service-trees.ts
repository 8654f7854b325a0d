// What a service's process tree adds up to at one tick, and the interface of the two ways of
// reading it (linux-service-trees.ts from /proc, portable-service-trees.ts through `ps`).
import { seriesKey } from '../../../shared/metrics.ts';
import type { SampleOut, TickTime } from './sample.ts';

/** A service as the sampler needs it: the root of its tree. Adopted services (left running
 * by an earlier engine) are read exactly like the engine's own children: the tree hangs off
 * the recorded pid either way. */
export interface ServiceProcess {
  name: string;
  /** The root process, or null while the service has none (stopped, backing off). */
  pid: number | null;
  adopted: boolean;
}

export interface TreeUsage {
  /** Of one core: a tree keeping two cores busy reads 200. Null on the first reading. */
  cpuPercent: number | null;
  /** Resident memory summed over the tree; pages shared between its processes (the node
   * binary, copy-on-write after fork) count once per process, as in `ps`. */
  rssBytes: number;
  /** Null where the OS does not tell (ps on macOS has no thread column). */
  threads: number | null;
  processes: number;
}

export interface ServiceTreeSampler {
  readonly description: string;
  setServices(services: ServiceProcess[]): void;
  /** Writes each live service's tree usage; a service whose root is gone writes nothing. */
  sample(time: TickTime, out: SampleOut): void | Promise<void>;
  /** The pids counted for the service at the last tick, root first. */
  pidsOf(name: string): number[];
}

export interface TreeSeriesKeys {
  cpu: string;
  rss: string;
  threads: string;
  processes: string;
}

export function treeSeriesKeys(service: string): TreeSeriesKeys {
  const labels = { service };
  return {
    cpu: seriesKey('service_cpu_percent', labels),
    rss: seriesKey('service_rss_bytes', labels),
    threads: seriesKey('service_threads', labels),
    processes: seriesKey('service_processes', labels),
  };
}

export function writeTreeUsage(keys: TreeSeriesKeys, usage: TreeUsage, out: SampleOut): void {
  if (usage.cpuPercent !== null) out(keys.cpu, usage.cpuPercent, 'gauge');
  out(keys.rss, usage.rssBytes, 'gauge');
  if (usage.threads !== null) out(keys.threads, usage.threads, 'gauge');
  out(keys.processes, usage.processes, 'gauge');
}

/** CPU use in % of one core: `cpuSeconds` used by the tree since the reading at `lastMono`
 * (monotonic ms); null on the first reading. */
export function cpuPercentSince(cpuSeconds: number, lastMono: number | null, mono: number): number | null {
  const seconds = lastMono === null ? 0 : (mono - lastMono) / 1000;
  return seconds > 0 ? (cpuSeconds / seconds) * 100 : null;
}
