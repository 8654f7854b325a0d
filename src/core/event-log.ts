// The engine's event stream: recent events kept in memory for GET /api/events, and pushed to
// live listeners (WebSocket clients, Electron main).
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

  /** Events after `sinceId`, the newest `limit` of them, oldest first. */
  list(sinceId = 0, limit = this.keep): EngineEvent[] {
    return this.events.filter((e) => e.id > sinceId).slice(-limit);
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
