// The Fly.io part of the contract: the deployed app and its machines as the engine sees them,
// and what a restart request answers. Types only.

/** Fly.io: 'unreachable' means Vigil could not reach Fly at all, which is not "the app is down". */
export type FlyHealth = 'healthy' | 'degraded' | 'down' | 'unreachable' | 'stuck' | 'deploying' | 'unknown';

export interface FlyMachineSnapshot {
  id: string;
  name: string;
  /** Fly's own machine state (started, stopped, starting, ...). */
  machineState: string;
  health: FlyHealth;
  region: string;
  image: string | null;
  instanceId: string | null;
  checks: { name: string; status: 'passing' | 'warning' | 'critical' | string; output: string }[];
  lastRestartAt: string | null;
}

export interface FlySnapshot {
  app: string;
  health: FlyHealth;
  error: string | null;
  /** With a token Vigil reads the Machines API; without one only the health URL. */
  mode: 'machines-api' | 'health-url';
  healthUrl: string;
  machines: FlyMachineSnapshot[];
  lastPollAt: string | null;
  lastDeployAt: string | null;
}

/** One machine's answer to a restart request (POST /api/fly/machines/:machine/restart,
 * `vigil fly restart`): asked for "all", there is one per machine. */
export interface FlyRestartResult {
  machine: string;
  name: string;
  ok: boolean;
  error: string | null;
}
