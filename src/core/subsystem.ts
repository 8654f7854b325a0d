// What a watcher of something outside the stack (a tunnel, a Fly.io app) gets from the engine.
// Watchers poll, fold what they see into their own snapshot, and report changes as events:
// never one event per poll, only one per change.
import type { Clock } from '../kit/clock.ts';
import type { NewEvent } from '../event-log.ts';

export interface WatcherHooks {
  clock: Clock;
  /** An event for the stream (tunnel.*, fly.*). */
  emit(event: NewEvent): void;
  /** The watcher's snapshot changed: the engine pushes a new state to clients. */
  changed(): void;
  /** The global auto-restart switch, read at each decision. */
  autoRestart(): boolean;
  /** Restarts a service of the stack through the supervisor (a tunnel's agent). */
  restartService(name: string): Promise<void>;
  /** The recent output lines of a service of the stack (an agent announcing its address). */
  serviceOutput?(name: string): string[];
  /** Observations for the metrics store (a later issue): name, value, labels. */
  observe?(name: string, value: number, labels: Record<string, string>): void;
}
