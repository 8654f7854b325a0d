// The engine's event stream: recent events kept in memory, and pushed to live listeners
// (WebSocket clients, Electron main, the metrics history, which keeps them across restarts and
// answers GET /api/events; this memory answers only while the history file cannot be opened).
import type { EngineEvent } from '../shared/contract.ts';

export type NewEvent = Omit<EngineEvent, 'id' | 'time'>;

export class EventLog {
  private readonly events: EngineEvent[] = [];
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private readonly keep: number;
  private nextId = 1;

  constructor(keep = 2000) {
    this.keep = keep;
  }

  append(event: NewEvent): EngineEvent {
    const full: EngineEvent = { id: this.nextId++, time: new Date().toISOString(), ...event };
    this.events.push(full);
    if (this.events.length > this.keep) this.events.splice(0, this.events.length - this.keep);
    for (const listener of this.listeners) listener(full);
    return full;
  }

  /** Ids go on after `id` (the highest one the history file holds), so that an id a client
   * saw before a restart of Vigil still means "after this". Only ever moves forward. */
  continueAfter(id: number): void {
    this.nextId = Math.max(this.nextId, id + 1);
  }

  /** Events after `sinceId`, the newest `limit` of them, oldest first. */
  list(sinceId = 0, limit = this.keep): EngineEvent[] {
    return this.events.filter((e) => e.id > sinceId).slice(-limit);
  }

  /** The newest `limit` events with since < id < before, oldest first, and the `before` of the
   * next older page (null when none is kept). */
  page(since = 0, before = Number.MAX_SAFE_INTEGER, limit = this.keep): { events: EngineEvent[]; before: number | null } {
    const matching = this.events.filter((e) => e.id > since && e.id < before);
    const events = matching.slice(-limit);
    return { events, before: matching.length > events.length ? events[0]!.id : null };
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
