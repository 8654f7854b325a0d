// A subsystem is a part of the engine that follows the loaded stack file next to the services:
// the tunnels, the Fly.io app, and (next) metrics and alerts. All plug into the engine the same
// way (engine.ts is only their composition root):
//   - the engine gives each one the same hooks (below) when it builds it;
//   - every (re)loaded stack goes to each one's apply(), which reconciles (reconcile.ts);
//   - each one's snapshot() is its section of the state snapshot;
//   - stop() on shutdown.
// The services themselves are not a subsystem: they are the stack, kept by the supervisor,
// and what the subsystems watch. Two seams carry what the supervisor and the watchers see:
//   - hooks.observe(name, value, labels): a subsystem's observations (the metrics store's input);
//   - hooks.onEvent(listener): the engine's event stream, with every service state change, exit
//     and reload and every tunnel and Fly.io change, for parts that react to them (metrics,
//     alerts).
// Subsystems poll, fold what they see into their own snapshot, and report changes as events:
// never one event per poll, only one per change.
import type { EngineEvent } from '../shared/contract.ts';
import type { LoadedStack } from './config/stack-file-error.ts';
import type { NewEvent } from './event-log.ts';
import type { Clock } from './kit/clock.ts';

export interface Subsystem<Section> {
  /** Makes this part match the stack: starts what is new, starts over what changed, stops what
   * left. Returns one phrase per change ("added public", "removed fly"), for the
   * config.applied event. */
  apply(stack: LoadedStack): Promise<string[]>;
  /** This part's section of the state snapshot. */
  snapshot(): Section;
  /** Stops everything this part runs (the engine is shutting down). */
  stop(): Promise<void>;
}

/** The subsystems that own sections of a snapshot, one per section. */
export type Subsystems<Sections> = { [K in keyof Sections]: Subsystem<Sections[K]> };

/** The subsystems in the order they were composed (the order the stack is applied to them). */
export function listSubsystems<Sections>(subsystems: Subsystems<Sections>): Subsystem<unknown>[] {
  return Object.values(subsystems);
}

/** Every subsystem's section, in one object. */
export function snapshotSections<Sections extends object>(subsystems: Subsystems<Sections>): Sections {
  const sections = Object.entries(subsystems).map(([key, subsystem]) => [key, (subsystem as Subsystem<unknown>).snapshot()]);
  return Object.fromEntries(sections) as Sections;
}

/** What a subsystem (and each watcher in it) gets from the engine. */
export interface SubsystemHooks {
  clock: Clock;
  /** An event for the stream (tunnel.*, fly.*). */
  emit(event: NewEvent): void;
  /** The subsystem's snapshot changed: the engine pushes a new state to clients. */
  changed(): void;
  /** The global auto-restart switch, read at each decision. */
  autoRestart(): boolean;
  /** Restarts a service of the stack through the supervisor (a tunnel's agent). */
  restartService(name: string): Promise<void>;
  /** The recent output lines of a service of the stack (an agent announcing its address). */
  serviceOutput?(name: string): string[];
  /** Observations for the metrics store: name, value, labels (series as in shared/metrics.ts). */
  observe?(name: string, value: number, labels: Record<string, string>): void;
  /** Every event of the engine's stream as it happens (service.state from the supervisor
   * included); returns the unsubscribe function. */
  onEvent?(listener: (event: EngineEvent) => void): () => void;
}
