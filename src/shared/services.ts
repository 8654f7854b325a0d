// The services part of the contract: a supervised service as every layer sees it, its output,
// its crashes, and the commands that act on it. Types only.

export type ServiceState =
  | 'starting'
  | 'running'
  | 'unhealthy'
  | 'backoff'
  | 'crash-looping'
  | 'stopped';

/** Why a service is stopped (or waiting), shown next to the state. */
export type StopReason =
  | 'user' // somebody asked for the stop
  | 'exit' // the process exited and the restart policy or auto-restart says "stay down"
  | 'dependency' // waiting for a service in depends_on to become healthy
  | 'port-in-use' // the port is held by a foreign process (see `error`)
  | 'spawn-failed' // the program could not be started at all (ENOENT, EACCES)
  | 'removed' // the service left the stack file
  | 'not-found'; // watch-only service: nothing answers on its port or health URL

export interface PortHolder {
  pid: number;
  /** The holder's command line, as the process table shows it. */
  command: string;
}

export interface IncidentRecord {
  service: string;
  time: string; // ISO 8601
  exitCode: number | null;
  signal: string | null;
  uptimeMs: number;
  /** The last 50 lines of output before the crash, oldest first. */
  lastLines: string[];
}

export interface ServiceSnapshot {
  name: string;
  /** The stack file the service was declared in (absolute path). */
  file: string;
  state: ServiceState;
  /** Set with `stopped`, and with `backoff`/`crash-looping` ("crash"). */
  reason: StopReason | 'crash' | 'hang' | null;
  /** A one-line explanation for the user when something is wrong. */
  error: string | null;
  pid: number | null;
  port: number | null;
  /** No command: Vigil only watches it and never starts or kills it. */
  watchOnly: boolean;
  /** Started by an earlier engine and taken over, so its output is not captured. */
  adopted: boolean;
  restarts: number;
  /** Effective auto-restart (global switch combined with the per-service override). */
  autoRestart: boolean;
  /** The per-service override, or null when the service follows the global switch. */
  autoRestartOverride: boolean | null;
  startedAt: string | null;
  /** When the next automatic start is due (backoff, crash-loop cool-off). */
  nextStartAt: string | null;
  lastExit: { code: number | null; signal: string | null; time: string } | null;
  lastIncident: IncidentRecord | null;
  healthy: boolean | null;
  dependsOn: string[];
}

export interface LogLine {
  seq: number;
  time: string;
  stream: 'stdout' | 'stderr' | 'vigil';
  text: string;
}

export type ServiceAction = 'start' | 'stop' | 'restart';

/** Body of PUT /api/auto-restart. Without `service` it sets the global switch; with it, the
 * per-service override (`enabled: null` clears the override). */
export interface AutoRestartRequest {
  enabled: boolean | null;
  service?: string;
}

export interface FreePortResult {
  port: number;
  holder: PortHolder | null;
  killed: boolean;
}
