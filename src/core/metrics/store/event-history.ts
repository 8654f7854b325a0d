// The engine's events (state changes, exits, deploys, URL changes) and its start/stop
// markers, kept across restarts in their own table: the JSON of each event plus the columns
// that queries pick by (time, type, service). Events wait in memory until the store commits,
// like samples, and so survive a paused history the same way.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { EngineEvent } from '../../../shared/events.ts';
import type { EventsPage, EventsQuery, HistoryEvent, StoredEvent } from '../../../shared/metrics.ts';
import type { AvailabilityTransition } from './availability.ts';
import { UnwrittenRows } from './unwritten-rows.ts';

/** Kept in memory while the file cannot be written; the oldest go first beyond this. */
const MAX_UNWRITTEN = 10_000;
const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 10_000;
export const MARKER_TYPES = ['engine.start', 'engine.stop'] as const;

interface Pending {
  seq: number;
  t: number;
  event: HistoryEvent;
}

type Row = { seq: number; t: number; json: string };

/** A page of engine events by id (the HTTP API's /api/events), oldest first. */
export interface EngineEventsPage {
  events: EngineEvent[];
  /** The id to pass as `before` for the next older page; null when there is none. */
  before: number | null;
}

export class EventHistory {
  private readonly pending = new UnwrittenRows<Pending>();
  private nextSeq: number;
  dropped = 0;
  private readonly insert: StatementSync;
  private readonly page: StatementSync;
  private readonly pageOfService: StatementSync;
  private readonly sameTime: StatementSync;
  private readonly lastBefore: StatementSync;
  private readonly inRange: StatementSync;
  private readonly newestMarker: StatementSync;
  private readonly lastTime: StatementSync;
  private readonly expire: StatementSync;
  private readonly pageById: StatementSync;

  constructor(db: DatabaseSync) {
    this.insert = db.prepare('INSERT INTO events (seq, t, type, service, json) VALUES (?, ?, ?, ?, ?)');
    this.page = db.prepare('SELECT seq, t, json FROM events WHERE t >= ? AND t < ? ORDER BY t DESC, seq DESC LIMIT ?');
    this.pageOfService = db.prepare('SELECT seq, t, json FROM events WHERE service = ? AND t >= ? AND t < ? ORDER BY t DESC, seq DESC LIMIT ?');
    this.sameTime = db.prepare('SELECT seq, t, json FROM events WHERE t = ? AND seq < ? AND (? IS NULL OR service = ?) ORDER BY seq DESC');
    // For availability: the service's states, and the engine markers (service NULL).
    this.lastBefore = db.prepare(
      "SELECT seq, t, json FROM events WHERE service IS ? AND type IN ('service.state', 'engine.start', 'engine.stop') AND t < ? ORDER BY t DESC, seq DESC LIMIT 20",
    );
    this.inRange = db.prepare(
      "SELECT seq, t, json FROM events WHERE service IS ? AND type IN ('service.state', 'engine.start', 'engine.stop') AND t >= ? AND t < ? ORDER BY t, seq",
    );
    this.newestMarker = db.prepare("SELECT seq, t, json FROM events WHERE service IS NULL AND type IN ('engine.start', 'engine.stop') ORDER BY t DESC, seq DESC LIMIT 1");
    this.lastTime = db.prepare('SELECT MAX(t) AS t FROM events');
    this.expire = db.prepare('DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE t < ? ORDER BY t LIMIT ?)');
    this.pageById = db.prepare("SELECT seq, t, json FROM events WHERE seq > ? AND seq < ? AND type NOT IN ('engine.start', 'engine.stop') ORDER BY seq DESC LIMIT ?");
    const { max } = db.prepare('SELECT MAX(seq) AS max FROM events').get() as { max: number | null };
    this.nextSeq = (max ?? 0) + 1;
  }

  /** An engine event keeps its id as its seq when the id is still ahead of every stored seq
   * (the engine's event log continues from lastSeq), so the API's ids and the file's agree. */
  append(event: HistoryEvent): StoredEvent {
    const t = Date.parse(event.time);
    if (!Number.isFinite(t)) throw new TypeError(`event ${event.type}: time ${JSON.stringify(event.time)} is not an ISO 8601 date`);
    const id = (event as { id?: unknown }).id;
    const seq = typeof id === 'number' && Number.isSafeInteger(id) && id >= this.nextSeq ? id : this.nextSeq;
    this.nextSeq = seq + 1;
    const stored = { seq, t, event };
    this.pending.push(stored);
    this.dropped += this.pending.cap(MAX_UNWRITTEN);
    return stored;
  }

  /** The highest seq given so far (0 when none). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Engine events (the start/stop markers left out) with after < seq < before: the newest
   * `limit`, oldest first, each with its seq as its id. */
  engineEvents(query: { after?: number; before?: number; limit?: number } = {}): EngineEventsPage {
    const after = query.after ?? 0;
    const before = query.before ?? Number.MAX_SAFE_INTEGER;
    const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(query.limit ?? DEFAULT_LIMIT)));
    const isMarker = (e: HistoryEvent) => (MARKER_TYPES as readonly string[]).includes(e.type);
    // Not committed yet: the newest ones.
    const newest = this.pending
      .all()
      .filter((e) => e.seq > after && e.seq < before && !isMarker(e.event))
      .sort((a, b) => b.seq - a.seq);
    const rows = (this.pageById.all(after, before, limit + 1) as Row[]).map(parse);
    const all = [...newest, ...rows.filter((r) => !newest.some((n) => n.seq === r.seq))].slice(0, limit + 1);
    const page = all.slice(0, limit).reverse();
    return {
      events: page.map(({ seq, event }) => ({ ...(event as EngineEvent), id: seq })),
      before: all.length > limit ? page[0]!.seq : null,
    };
  }

  get unwritten(): number {
    return this.pending.length;
  }

  /** Inside the store's commit transaction. */
  write(): void {
    for (const { seq, t, event } of this.pending.take()) this.insert.run(seq, t, event.type, event.service ?? null, JSON.stringify(event));
  }

  /** After the transaction: committed, or rolled back (the events wait for the next one). */
  written(committed: boolean): void {
    this.pending.settle(committed);
  }

  events(query: EventsQuery = {}): EventsPage {
    const since = query.since ?? Number.NEGATIVE_INFINITY;
    const before = query.before ?? Number.POSITIVE_INFINITY;
    const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(query.limit ?? DEFAULT_LIMIT)));
    const service = query.service ?? null;
    const matches = (e: Pending) => e.t >= since && e.t < before && (service === null || e.event.service === service);
    // The newest are still in memory (not committed yet): they come first, newest first.
    const newest = this.pending.all().filter(matches).reverse();
    const rows = (service === null ? this.page.all(since, before, limit + 1) : this.pageOfService.all(service, since, before, limit + 1)) as Row[];
    const all = [...newest.sort((a, b) => b.t - a.t || b.seq - a.seq), ...rows.map(parse)].slice(0, limit + 1);
    let page = all.slice(0, limit);
    const more = all.length > limit;
    if (more && page.length > 0) {
      // Never end a page inside one millisecond: `before` is a time, so take the rest of it too.
      const oldest = page[page.length - 1]!;
      const rest = (this.sameTime.all(oldest.t, oldest.seq, service, service) as Row[]).map(parse);
      page = [...page, ...rest.filter((e) => !page.some((p) => p.seq === e.seq))];
    }
    page.reverse();
    return { events: page, before: more ? page[0]!.t : null };
  }

  /** What availability needs for one service: its state changes and the engine markers from
   * the last of each before `from` up to `to`, in time order. */
  transitions(service: string, from: number, to: number): AvailabilityTransition[] {
    const load = (who: string | null): StoredEvent[] => {
      const earlier = (this.lastBefore.all(who, from) as Row[]).map(parse).find((e) => toTransition(e) !== null);
      const during = (this.inRange.all(who, from, to) as Row[]).map(parse);
      return earlier ? [earlier, ...during] : during;
    };
    const inMemory = this.pending.all().filter((e) => (e.event.service === service || e.event.service === null) && e.t < to);
    const all = [...load(service), ...load(null), ...inMemory].sort((a, b) => a.t - b.t || a.seq - b.seq);
    return all.map(toTransition).filter((t): t is AvailabilityTransition => t !== null);
  }

  /** The newest engine marker, committed or not. */
  lastMarker(): StoredEvent | null {
    const memory = this.pending.all().filter((e) => (MARKER_TYPES as readonly string[]).includes(e.event.type)).at(-1);
    if (memory) return memory;
    const row = this.newestMarker.get() as Row | undefined;
    return row ? parse(row) : null;
  }

  /** The time of the newest event, committed or not. */
  newestTime(): number | null {
    const memory = this.pending.all().at(-1)?.t;
    const { t } = this.lastTime.get() as { t: number | null };
    return memory === undefined ? t : Math.max(memory, t ?? memory);
  }

  /** Deletes up to `budget` events older than `cutoff`; the number deleted. */
  expireBefore(cutoff: number, budget: number): number {
    return Number(this.expire.run(cutoff, budget).changes);
  }
}

function parse(row: Row): StoredEvent {
  return { seq: row.seq, t: row.t, event: JSON.parse(row.json) as HistoryEvent };
}

function toTransition({ t, event }: StoredEvent): AvailabilityTransition | null {
  if (event.type === 'engine.start' || event.type === 'engine.stop') return { t, kind: event.type };
  if (event.type === 'service.state' && event.to) return { t, kind: 'state', to: event.to, reason: event.reason ?? null };
  return null;
}
