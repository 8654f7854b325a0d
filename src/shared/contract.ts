// The API contract between the engine and everything that talks to it (CLI, HTTP/WebSocket
// clients, Electron main, preload and renderer). Types only, no runtime code, so
// every layer can import it without pulling in Node or Electron. (One constant, below.)

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

export interface StackFileStatus {
  file: string;
  /** The last edit could not be applied; the services keep running the previous version. */
  error: string | null;
}

export type TunnelState = 'up' | 'degraded' | 'down' | 'unknown';

export interface TunnelSnapshot {
  /** As named in the stack file's `tunnels:` list. */
  name: string;
  kind: 'ngrok' | 'cloudflared';
  state: TunnelState;
  /** What is wrong, for the user, when not up. */
  error: string | null;
  /** The public URLs now (ngrok: one per expected tunnel; cloudflared quick tunnels: one). */
  publicUrls: string[];
  /** The service that runs this tunnel's agent, if the stack file names one. */
  service: string | null;
  /** The agent API or metrics address in use (discovered or configured). */
  address: string | null;
  /** cloudflared: ready edge connections now and expected. */
  readyConnections: number | null;
  expectedConnections: number | null;
  /** The optional end-to-end probe through the public URL. */
  probe: { ok: boolean; detail: string; time: string } | null;
  lastSeenAt: string | null;
}

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
}

export type EngineEventType =
  | 'service.state' // a state transition
  | 'service.exit' // the process exited (code or signal)
  | 'service.health' // a health check changed its verdict
  | 'service.adopted' // a process from an earlier engine was taken over
  | 'config.applied' // the stack files were (re)loaded
  | 'config.error' // an edit could not be applied
  | 'settings.changed' // auto-restart switches
  | 'tunnel.state' // a tunnel went up, degraded, down
  | 'tunnel.url' // a tunnel's public URL changed (oldUrl -> newUrl)
  | 'fly.state' // the Fly app or one of its machines changed health
  | 'fly.deploy' // a new image digest or instance id
  | 'fly.restart'; // Vigil asked Fly to restart a machine

export interface EngineEvent {
  /** Monotonic within one engine run; clients resume with `?since=id`. */
  id: number;
  time: string; // ISO 8601
  type: EngineEventType;
  service: string | null;
  message: string;
  from?: ServiceState;
  to?: ServiceState;
  reason?: string | null;
  exitCode?: number | null;
  signal?: string | null;
  uptimeMs?: number;
  /** tunnel.* events: which tunnel; tunnel.url: the URLs before and after. */
  tunnel?: string;
  oldUrl?: string | null;
  newUrl?: string | null;
  /** fly.* events: which machine, when the event is about one. */
  machine?: string;
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

/** The HTTP routes, for clients that want them typed. */
export interface ApiRoutes {
  'GET /health': { ok: true; version: string; pid: number; uptimeMs: number };
  'GET /api/state': StateSnapshot;
  'POST /api/services/:name/:action': { ok: true; services: string[] };
  'PUT /api/auto-restart': StateSnapshot;
  'GET /api/services/:name/logs': { service: string; lines: LogLine[] };
  'GET /api/services/:name/incidents': { service: string; incidents: IncidentRecord[] };
  'GET /api/events': { events: EngineEvent[] };
  'GET /api/tunnels': { tunnels: TunnelSnapshot[] };
  'POST /api/tunnels/:name/restart': { ok: true; tunnel: string };
  'GET /api/fly': { fly: FlySnapshot | null };
  'POST /api/fly/machines/:machine/restart': { ok: true; results: { machine: string; name: string; ok: boolean; error: string | null }[] };
  'GET /api/ports/:port': FreePortResult;
  'POST /api/ports/:port/free': FreePortResult;
}

/** Messages sent on WS /api/events. */
export type LiveMessage = { kind: 'event'; event: EngineEvent } | { kind: 'state'; state: StateSnapshot };

export const DEFAULT_API_PORT = 7357;
