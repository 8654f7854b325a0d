// The state snapshot: everything the engine knows now, in one object, pushed to every client
// on change. Each subsystem contributes its section (services, tunnels, fly, ...). Types only.
import type { FlySnapshot } from './fly.ts';
import type { MetricsSnapshot } from './metrics.ts';
import type { ServiceSnapshot } from './services.ts';
import type { TunnelSnapshot } from './tunnels.ts';

export interface StackFileStatus {
  file: string;
  /** The last edit could not be applied; the services keep running the previous version. */
  error: string | null;
}

export interface StateSnapshot {
  version: string;
  engine: { pid: number; startedAt: string; home: string };
  autoRestart: boolean;
  /** True when no stack file was given and Vigil runs the demo stack from examples/. */
  demo: boolean;
  files: StackFileStatus[];
  services: ServiceSnapshot[];
  tunnels: TunnelSnapshot[];
  /** Null when the stack file has no `fly:` section. */
  fly: FlySnapshot | null;
  /** History status, the sampling rate in force, the latest system values and each service's
   * usage and availability. */
  metrics: MetricsSnapshot;
}
