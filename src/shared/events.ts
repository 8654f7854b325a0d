// The event stream: one event per change (a state transition, an exit, a reload, a tunnel or
// Fly.io change), and the live messages that carry events and state to clients. Types only.
import type { MetricsLiveMessage } from './metrics.ts';
import type { ServiceState } from './services.ts';
import type { StateSnapshot } from './state.ts';

export type EngineEventType =
  | 'service.state' // a state transition: always with `from` and `to`
  | 'service.exit' // the process exited (code or signal)
  | 'service.health' // a health check changed its verdict
  | 'service.adopted' // a process from an earlier engine was taken over
  | 'service.redefined' // its definition changed (a live edit, or an edit while no engine ran): it restarts under the new one
  | 'service.retry' // a crash-looping service's cool-off is over: Vigil tries it again
  | 'port.freed' // on request, Vigil stopped the process that held a port
  | 'config.applied' // the stack files were (re)loaded
  | 'config.error' // an edit could not be applied
  | 'settings.changed' // auto-restart switches
  | 'tunnel.state' // a tunnel went up, degraded, down
  | 'tunnel.url' // a tunnel's public URL changed (oldUrl -> newUrl)
  | 'fly.state' // the Fly app or one of its machines changed health
  | 'fly.deploy' // a new image digest or instance id
  | 'fly.restart' // Vigil asked Fly to restart a machine
  | 'history.paused' // the metrics history cannot be written (disk full, file locked): supervision goes on
  | 'history.resumed'; // writing history works again (what waited in memory is written)

export interface EngineEvent {
  /** Increases with every event, across restarts of Vigil too (the event log continues from
   * the highest id in the history file); clients resume with `?since=id`. */
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
  /** service.redefined: the fields that changed ("command", "cwd", "env.NAME"...), by name:
   * never their values, which may be secrets. */
  fields?: string[];
  /** tunnel.* events: which tunnel; tunnel.url: the URLs before and after. */
  tunnel?: string;
  oldUrl?: string | null;
  newUrl?: string | null;
  /** fly.* events: which machine, when the event is about one. */
  machine?: string;
}

/** Messages sent on WS /api/events and on the MessagePort: events and state on every change,
 * and a `metrics` message at every sampling tick (see metrics.ts). */
export type LiveMessage = { kind: 'event'; event: EngineEvent } | { kind: 'state'; state: StateSnapshot } | MetricsLiveMessage;
