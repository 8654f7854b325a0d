// Vigil's metrics history: samples in, charts' points out, kept in one SQLite file.
//
//   append()  buffers a sample in memory (series-history.ts): no I/O, so the samplers'
//             tick stays cheap; full chunks are encoded as they close
//   commit()  one transaction: new series, closed chunks, events, and the new samples as one
//             commit log row (commit-log.ts), or every 60th time the open chunks' head rows.
//             The store runs it itself every `commitEveryMs` (5 s) unless told not to.
//             A commit that cannot write (disk full, file locked) pauses history: status()
//             says why, everything stays in memory (bounded), and the next commit retries.
//   query()   points for a series over a range, from the coarsest tier that gives the step
//   enforceRetention()  deletes what the retention settings no longer keep, a slice at a time
//
// Time is whatever the caller says it is: sample times are passed in, and "now" (retention,
// status) comes from the injected `now()`.
import { statSync } from 'node:fs';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import {
  type EventsPage,
  type EventsQuery,
  type HistoryEvent,
  type HistoryStatus,
  type HistoryTier,
  type MetricsQueryRequest,
  type MetricsQueryResult,
  parseSeriesKey,
  type SeriesInfo,
  type SeriesKind,
  type ServiceAvailability,
  type StoredEvent,
} from '../../../shared/metrics.ts';
import { LRUCache } from 'lru-cache';
import { type Clock, realClock } from '../../kit/clock.ts';
import { availabilityOf } from './availability.ts';
import { decodeChunk } from './chunk-codec.ts';
import { decodeLogRow, encodeLogRow, type LogEntry } from './commit-log.ts';
import { type EngineEventsPage, EventHistory } from './event-history.ts';
import { decodeHeadRecord } from './head-record.ts';
import { openHistoryDatabase, TIER_TABLES } from './history-schema.ts';
import { TimeBlocks } from './time-blocks.ts';
import { answerStep, chooseTier, type Retention, Rows, TIER_STEP, TIERS, toPoints } from './query-points.ts';
import { type ChunkSizes, type ClosedChunk, HOUR, MAX_CHUNK_SPAN, MINUTE, RAW, SeriesHistory } from './series-history.ts';
import { decimalsFor } from './series-precision.ts';
import { isLockError, writeFailureReason } from './write-failure.ts';

const DAY = 24 * 3_600_000;

export interface HistoryRetention extends Retention {
  events: number;
}

export const DEFAULT_RETENTION: HistoryRetention = { raw: DAY, minute: 30 * DAY, hour: 365 * DAY, events: 365 * DAY };
/** From `npm run bench -- store --sweep` (50 series at 1 s): raw chunks of 60 / 120 / 240 /
 * 480 / 960 samples cost 1.44 / 1.01 / 0.82 / 0.76 / 0.76 bytes a sample and 28 / 18 / 13 /
 * 11 / 11 KiB of WAL a commit; 480 is where both stop improving (a bigger head costs memory,
 * ~8 KB a series, and a bigger head checkpoint). Rollup chunks hold an hour of minutes and 60
 * hours: a day's chart reads 24 minute chunks per series. */
export const DEFAULT_CHUNK_SIZES: ChunkSizes = { raw: 480, minute: 60, hour: 60 };

/** The timers of the engine's clock, for the store's own commits. */
export type StoreTimer = Pick<Clock, 'setTimeout' | 'clearTimeout'>;

export interface MetricStoreOptions {
  /** How long each tier (and the event history) is kept, in ms. */
  retention?: Partial<HistoryRetention>;
  now?: () => number;
  /** The store commits by itself this often (ms); 0 leaves committing to the caller. */
  commitEveryMs?: number;
  timer?: StoreTimer;
  chunkSizes?: Partial<ChunkSizes>;
  /** Raw samples kept in closed chunks waiting to be written (while writing is paused):
   * beyond this the oldest are dropped. Rollups are never dropped for it. */
  maxBufferedSamples?: number;
  /** A cap on the file's size; reaching it pauses history like a full disk. */
  maxBytes?: number | null;
  /** Chunks deleted per enforceRetention() call, so that no call takes long. */
  retentionSlice?: number;
  /** Commits between two head checkpoints (the others append to the commit log). */
  checkpointEvery?: number;
  /** Told when writing pauses (with the reason in the status) and when it works again. */
  onWritingChange?: (status: HistoryStatus) => void;
}

export interface LatestSample {
  t: number;
  value: number;
}

export interface RetentionPass {
  deleted: number;
  /** Nothing more to delete for now. */
  done: boolean;
}

export class MetricStore {
  private readonly byKey = new Map<string, SeriesHistory>();
  /** Series with samples since the last commit. */
  private readonly dirty = new Set<SeriesHistory>();
  /** Series whose head rows changed since the last head checkpoint. */
  private readonly headsDirty = new Set<SeriesHistory>();
  private commitsSinceCheckpoint = 0;
  /** Replaying the commit log at open: chunks that close are already stored. */
  private replaying = false;
  private readonly unwritten: ClosedChunk[][] = [[], [], []];
  /** Decoded stored chunks by rowid × 4 + tier: ~2 KB each, so at most ~4 MB. */
  private readonly decoded = new LRUCache<number, Float64Array[]>({ max: 2048 });
  private unwrittenRawSamples = 0;
  private nextSeriesId: number;
  private readonly eventHistory: EventHistory;
  private readonly timeBlocks: TimeBlocks;
  private readonly statements: ReturnType<typeof prepare>;
  private writing = true;
  private reason: string | null = null;
  private pausedSince: number | null = null;
  /** Paused because another process holds the file's lock. */
  private locked = false;
  private timerHandle: unknown = null;
  private closed = false;
  /** Samples dropped: out of order or not a number, and raw ones over the memory cap. */
  readonly dropped = { rejected: 0, overCap: 0 };
  /** What opening the file had to skip (a damaged head row), for the engine's log. */
  readonly warnings: string[] = [];
  readonly retention: HistoryRetention;
  private readonly sizes: ChunkSizes;
  private readonly now: () => number;
  private readonly timer: StoreTimer;
  private readonly commitEveryMs: number;
  private readonly maxBuffered: number;
  private readonly retentionSlice: number;
  private readonly checkpointEvery: number;
  private readonly onWritingChange: ((status: HistoryStatus) => void) | undefined;

  /** Opens (or creates) the history file. Throws when it cannot: not an SQLite file, made by
   * a newer Vigil, locked while its tables are set up, bad options. */
  static open(file: string, options: MetricStoreOptions = {}): MetricStore {
    validRetention({ ...DEFAULT_RETENTION, ...options.retention });
    const db = openHistoryDatabase(file);
    try {
      return new MetricStore(file, db, options);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  readonly file: string;
  private readonly db: DatabaseSync;

  private constructor(file: string, db: DatabaseSync, options: MetricStoreOptions) {
    this.file = file;
    this.db = db;
    this.retention = validRetention({ ...DEFAULT_RETENTION, ...options.retention });
    this.sizes = { ...DEFAULT_CHUNK_SIZES, ...options.chunkSizes };
    this.now = options.now ?? Date.now;
    this.timer = options.timer ?? realClock;
    this.commitEveryMs = options.commitEveryMs ?? 5000;
    this.maxBuffered = options.maxBufferedSamples ?? 5_000_000;
    this.retentionSlice = options.retentionSlice ?? 500;
    this.checkpointEvery = options.checkpointEvery ?? 60;
    this.onWritingChange = options.onWritingChange;
    this.statements = prepare(db);
    this.eventHistory = new EventHistory(db);
    this.timeBlocks = new TimeBlocks(db);
    this.setMaxBytes(options.maxBytes ?? null);
    this.nextSeriesId = this.load() + 1;
    this.replayCommitLog();
    this.findLastSamples();
    this.scheduleCommit();
  }

  // ---- samples in ----

  /**
   * Adds one sample (t in ms since the epoch). Samples not newer than the series' last one,
   * and values that are not finite numbers, are dropped (counted in `dropped.rejected`).
   * `kind` counts only when the series is new; by default names ending in _total are counters.
   */
  append(seriesKey: string, t: number, value: number, kind?: SeriesKind): boolean {
    let series = this.byKey.get(seriesKey);
    if (series === undefined) {
      if (!Number.isFinite(t)) throw new TypeError(`append(${JSON.stringify(seriesKey)}): time ${t} is not ms since the epoch`);
      series = this.createSeries(seriesKey, kind);
    }
    if (!Number.isFinite(value) || !series.append(t, value)) {
      this.dropped.rejected++;
      return false;
    }
    this.dirty.add(series);
    this.headsDirty.add(series);
    return true;
  }

  private createSeries(key: string, kind: SeriesKind | undefined): SeriesHistory {
    if (typeof key !== 'string' || key.length === 0) throw new TypeError(`a series key must be a non-empty string, got ${JSON.stringify(key)}`);
    parseSeriesKey(key); // throws on a malformed key
    const series = this.newSeries(this.nextSeriesId++, key, kind ?? (key.split('{')[0]!.endsWith('_total') ? 'counter' : 'gauge'), false);
    this.byKey.set(key, series);
    return series;
  }

  private newSeries(id: number, key: string, kind: SeriesKind, persisted: boolean): SeriesHistory {
    return new SeriesHistory(id, key, kind, decimalsFor(key), this.sizes, persisted, (chunk) => this.chunkClosed(chunk));
  }

  private chunkClosed(chunk: ClosedChunk): void {
    if (this.replaying) return;
    this.unwritten[chunk.tier]!.push(chunk);
    if (chunk.tier !== RAW) return;
    chunk.timesId = this.timeBlocks.share(chunk.times!, chunk.end);
    this.unwrittenRawSamples += chunk.count;
    const raw = this.unwritten[RAW]!;
    while (this.unwrittenRawSamples > this.maxBuffered && raw.length > 1) {
      const oldest = raw.shift()!;
      this.unwrittenRawSamples -= oldest.count;
      this.dropped.overCap += oldest.count;
    }
  }

  appendEvent(event: HistoryEvent): StoredEvent {
    return this.eventHistory.append(event);
  }

  /** Records that an engine started at `t`. If the one before never said it stopped (it was
   * killed, or crashed), first records its stop at its last sign of life: the newest sample
   * or event it left. Commits. */
  recordEngineStart(t: number, pid?: number): void {
    const last = this.eventHistory.lastMarker();
    if (last?.event.type === 'engine.start') {
      let lastSign = Math.max(last.t, this.eventHistory.newestTime() ?? last.t);
      for (const s of this.byKey.values()) if (s.lastTime > lastSign && s.lastTime <= t) lastSign = s.lastTime;
      this.appendEvent({
        type: 'engine.stop',
        time: new Date(Math.min(lastSign, t)).toISOString(),
        service: null,
        message: 'the engine ended without stopping (killed or crashed): this is its last sign of life',
        crashed: true,
      });
    }
    this.appendEvent({ type: 'engine.start', time: new Date(t).toISOString(), service: null, message: 'engine started', ...(pid ? { pid } : {}) });
    this.commit();
  }

  /** Records that the engine stops at `t`, and commits. */
  recordEngineStop(t: number): void {
    this.appendEvent({ type: 'engine.stop', time: new Date(t).toISOString(), service: null, message: 'engine stopped' });
    this.commit();
  }

  // ---- writing ----

  /** Writes everything buffered in one transaction: closed chunks, events, and either a
   * commit log row with the samples since the last commit or, every `checkpointEvery`
   * commits, the head rows (then the log is emptied). False when it could not write (history
   * is paused; status() says why); it never throws for that. */
  commit(): boolean {
    if (this.closed) throw new Error('the metrics store is closed');
    const s = this.statements;
    const dirty = [...this.dirty];
    const checkpoint = this.commitsSinceCheckpoint + 1 >= this.checkpointEvery || dirty.some((series) => series.fresh === null);
    const chunks = this.unwritten.map((list) => list.length);
    try {
      this.db.exec('BEGIN IMMEDIATE');
      for (const series of dirty) if (!series.persisted) s.insertSeries.run(series.id, series.key, series.kind);
      this.timeBlocks.write();
      for (const c of this.unwritten[RAW]!) s.insertRawChunk.run(c.series, c.start, c.end, c.timesId!, c.data);
      for (const tier of [MINUTE, HOUR]) {
        const insert = s.insertChunk[tier]!;
        for (const c of this.unwritten[tier]!) insert.run(c.series, c.start, c.end, c.data);
      }
      if (checkpoint) this.writeHeads();
      else if (dirty.length > 0) s.appendLog.run(encodeLogRow(dirty.map((series) => ({ series: series.id, t: series.fresh!.t, v: series.fresh!.v }))));
      this.eventHistory.write();
      this.db.exec('COMMIT');
    } catch (err) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      this.eventHistory.written(false);
      this.timeBlocks.written(false);
      this.pause(err);
      return false;
    }
    this.eventHistory.written(true);
    this.timeBlocks.written(true);
    for (let tier = RAW; tier <= HOUR; tier++) {
      const written = this.unwritten[tier]!.splice(0, chunks[tier]);
      if (tier === RAW) for (const c of written) this.unwrittenRawSamples -= c.count;
    }
    for (const series of dirty) {
      series.persisted = true;
      series.committed();
      this.dirty.delete(series);
    }
    if (checkpoint) {
      for (const series of this.headsDirty) series.dirty.fill(false);
      this.headsDirty.clear();
      this.commitsSinceCheckpoint = 0;
    } else {
      this.commitsSinceCheckpoint++;
    }
    const resumed = !this.writing;
    this.writing = true;
    this.reason = null;
    this.pausedSince = null;
    this.locked = false;
    if (resumed) this.tellWritingChange();
    return true;
  }

  private tellWritingChange(): void {
    if (!this.onWritingChange) return;
    try {
      this.onWritingChange(this.status());
    } catch {
      // a listener's failure is not the store's
    }
  }

  /** The head checkpoint, inside commit()'s transaction: every changed head row, and an
   * empty commit log (the heads now hold what it did). */
  private writeHeads(): void {
    const s = this.statements;
    for (const series of this.headsDirty) {
      if (series.dirty[RAW]) s.putHead.run(series.id, RAW, series.headRecord());
      for (const tier of [MINUTE, HOUR] as const) {
        if (!series.dirty[tier]) continue;
        const head = series.rollups[tier];
        if (head.count > 0) s.putHead.run(series.id, tier, head.encode());
        else s.deleteHead.run(series.id, tier);
      }
    }
    s.clearLog.run();
  }

  private pause(err: unknown): void {
    const wasWriting = this.writing;
    if (wasWriting) this.pausedSince = this.now();
    this.writing = false;
    this.reason = writeFailureReason(err);
    this.locked = isLockError(err);
    if (wasWriting) this.tellWritingChange();
  }

  private scheduleCommit(): void {
    if (this.commitEveryMs <= 0 || this.closed) return;
    this.timerHandle = this.timer.setTimeout(() => {
      this.timerHandle = null;
      if (this.closed) return;
      // Retention also runs when the file is full (it frees pages for the next commit), but
      // not when it is locked: that would only wait for the lock a second time.
      if (this.commit() || !this.locked) this.enforceRetention();
      this.scheduleCommit();
    }, this.commitEveryMs);
  }

  /** Caps the file's size (null: no cap). Reaching it pauses history as a full disk would. */
  setMaxBytes(maxBytes: number | null): void {
    const { page_size: pageSize } = this.db.prepare('PRAGMA page_size').get() as { page_size: number };
    const pages = maxBytes === null ? 4_294_967_294 : Math.max(1, Math.floor(maxBytes / pageSize));
    this.db.exec(`PRAGMA max_page_count = ${pages}`);
  }

  status(): HistoryStatus {
    const buffered = this.unwrittenRawSamples + [...this.dirty].reduce((n, s) => n + s.raw.count, 0);
    const reason =
      this.reason === null
        ? null
        : `history paused: ${this.reason}; ${buffered} samples and ${this.eventHistory.unwritten} events wait in memory` +
          (this.dropped.overCap > 0 ? `, ${this.dropped.overCap} older samples dropped` : '');
    return { writing: this.writing, reason, sizeBytes: this.sizeBytes(), since: this.pausedSince === null ? null : new Date(this.pausedSince).toISOString() };
  }

  /** The history file's size on disk, its write-ahead log included. */
  sizeBytes(): number {
    const size = (file: string) => {
      try {
        return statSync(file).size;
      } catch {
        return 0;
      }
    };
    return size(this.file) + size(`${this.file}-wal`);
  }

  // ---- retention ----

  /** Deletes at most `retentionSlice` expired chunks per tier (and as many events), oldest
   * first. Cheap enough to call after every commit; `done` says whether more is due. */
  enforceRetention(): RetentionPass {
    const now = this.now();
    const budget = this.retentionSlice;
    let deleted = 0;
    let done = true;
    try {
      this.db.exec('BEGIN IMMEDIATE');
      for (let tier = RAW; tier <= HOUR; tier++) {
        // Chunks are appended as they close, so rowid order is time order, give or take one
        // chunk's span: delete the expired run at the front.
        const cutoff = now - this.retention[TIERS[tier]!];
        const rows = this.statements.oldestChunks[tier]!.all(budget) as { rowid: number; end: number }[];
        let last = -1;
        for (const row of rows) {
          if (row.end >= cutoff) break;
          last = row.rowid;
          deleted++;
        }
        if (last >= 0) this.statements.deleteChunksUpTo[tier]!.run(last);
        if (last >= 0 && rows.length === budget && rows.at(-1)!.rowid === last) done = false;
      }
      this.timeBlocks.expireBefore(now - this.retention.raw, budget);
      const events = this.eventHistory.expireBefore(now - this.retention.events, budget);
      deleted += events;
      if (events === budget) done = false;
      this.forgetStaleSeries(now);
      this.db.exec('COMMIT');
    } catch (err) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      this.pause(err);
      return { deleted: 0, done: false };
    }
    return { deleted, done };
  }

  /** A series with no sample left in any tier is forgotten (a removed service's, say). */
  private forgetStaleSeries(now: number): void {
    const cutoff = now - Math.max(this.retention.raw, this.retention.minute, this.retention.hour);
    for (const series of this.byKey.values()) {
      if (series.lastTime >= cutoff || this.dirty.has(series)) continue;
      for (const table of this.statements.deleteSeriesChunks) table.run(series.id);
      this.decoded.clear(); // SQLite may hand a deleted rowid to a new chunk
      this.statements.deleteHeads.run(series.id);
      this.statements.deleteSeries.run(series.id);
      this.byKey.delete(series.key);
    }
  }

  // ---- reading ----

  query(request: MetricsQueryRequest): MetricsQueryResult {
    const { series: key, from, to, step } = request;
    if (![from, to, step].every(Number.isFinite) || from > to || step < 0) {
      throw new RangeError(`metrics query for ${JSON.stringify(key)}: from, to and step must be numbers with from <= to and step >= 0 (got ${from}, ${to}, ${step})`);
    }
    const tier = chooseTier(step, from, this.now(), this.retention);
    const series = this.byKey.get(key);
    const rows = series ? this.rows(series, TIERS.indexOf(tier), from, to) : new Rows();
    const answer = answerStep(tier, step, rows);
    return { series: key, tier, step: answer.step, points: toPoints(rows, answer.merge ? answer.step : 0) };
  }

  /** Rows of one tier within [from, to]: a rollup bucket counts when it overlaps the range. */
  private rows(series: SeriesHistory, tier: number, from: number, to: number): Rows {
    const lower = tier === RAW ? from : from - TIER_STEP[TIERS[tier]!] + 1;
    const rows = new Rows();
    const take = (columns: Float64Array[], count: number) => {
      const [t, a, b, c, d] = columns as [Float64Array, Float64Array, Float64Array?, Float64Array?, Float64Array?];
      for (let i = 0; i < count; i++) {
        const time = t[i]!;
        if (time < lower || time > to) continue;
        if (tier === RAW) rows.push(time, a[i]!, a[i]!, a[i]!, 1);
        else rows.push(time, a[i]!, b![i]!, c![i]!, d![i]!);
      }
    };
    // Chunks do not overlap, so the ones ending in [lower, to + span] are those that reach into
    // the range. Stored chunks never change: decoded once, they are kept for the next query
    // (a chart refreshes the same range every few seconds).
    const stored = this.statements.chunksInRange[tier]!.all(series.id, lower, to + MAX_CHUNK_SPAN[tier]!) as { rowid: number; start: number; times?: number }[];
    for (const chunk of stored) {
      if (chunk.start > to) continue;
      const key = chunk.rowid * 4 + tier;
      let columns = this.decoded.get(key);
      if (!columns) {
        const { data } = this.statements.chunkData[tier]!.get(chunk.rowid) as { data: Uint8Array };
        columns = decodeChunk(data).columns;
        this.decoded.set(key, columns);
      }
      this.takeChunk(take, tier, columns, chunk.times);
    }
    for (const chunk of this.unwritten[tier]!) {
      if (chunk.series !== series.id || chunk.end < lower || chunk.start > to) continue;
      this.takeChunk(take, tier, decodeChunk(chunk.data).columns, chunk.timesId);
    }
    if (tier === RAW) {
      take(series.raw.columns, series.raw.count);
    } else {
      const head = series.rollups[tier as 1 | 2];
      take(head.columns, head.count);
      const open = series.open[tier as 1 | 2];
      if (open && open.start >= lower && open.start <= to) {
        const sum = series.scale === null ? open.sum : open.sum / series.scale;
        rows.push(open.start, open.min, open.max, sum, open.count);
      }
    }
    return rows;
  }

  /** A raw chunk's values go with its time block's timestamps; rollup chunks have their own. */
  private takeChunk(take: (columns: Float64Array[], count: number) => void, tier: number, columns: Float64Array[], times: number | undefined): void {
    if (tier !== RAW) {
      take(columns, columns[0]!.length);
      return;
    }
    const t = this.timeBlocks.column(times!);
    if (t) take([t, columns[0]!], t.length);
  }

  series(): SeriesInfo[] {
    return [...this.byKey.values()].map((s) => {
      const { name, labels } = parseSeriesKey(s.key);
      let firstAt = s.raw.count > 0 ? s.raw.firstTime : s.lastTime;
      for (let tier = RAW; tier <= HOUR; tier++) {
        const row = this.statements.firstChunk[tier]!.get(s.id) as { start: number } | undefined;
        if (row && row.start < firstAt) firstAt = row.start;
        for (const c of this.unwritten[tier]!) if (c.series === s.id && c.start < firstAt) firstAt = c.start;
      }
      for (const tier of [MINUTE, HOUR] as const) {
        const head = s.rollups[tier];
        if (head.count > 0 && head.firstTime < firstAt) firstAt = head.firstTime;
      }
      return { key: s.key, name, labels, kind: s.kind, firstAt, lastAt: s.lastTime };
    });
  }

  /** The key of every series kept (cheaper than series(): no file access). */
  seriesKeys(): string[] {
    return [...this.byKey.keys()];
  }

  latest(seriesKey: string): LatestSample | null {
    const s = this.byKey.get(seriesKey);
    return s && Number.isFinite(s.lastTime) ? { t: s.lastTime, value: s.lastValue } : null;
  }

  events(query?: EventsQuery): EventsPage {
    return this.eventHistory.events(query);
  }

  /** Engine events by id (after < id < before), as the HTTP API pages them. */
  engineEvents(query?: { after?: number; before?: number; limit?: number }): EngineEventsPage {
    return this.eventHistory.engineEvents(query);
  }

  /** The highest event seq given so far: the engine's event log continues after it. */
  get lastEventSeq(): number {
    return this.eventHistory.lastSeq;
  }

  /** How much of [from, to] the service was up (see availability.ts); time after now() does
   * not count. */
  availability(service: string, from: number, to: number): ServiceAvailability {
    const end = Math.min(to, this.now());
    const spans = end > from ? availabilityOf(this.eventHistory.transitions(service, from, end), from, end) : { upMs: 0, downMs: 0, excludedMs: 0, percent: null, standing: 'excluded' as const };
    return { service, from, to, ...spans };
  }

  /** Commits what is buffered, heads and all (if it can), and closes the file. */
  close(): void {
    if (this.closed) return;
    if (this.timerHandle !== null) this.timer.clearTimeout(this.timerHandle);
    this.commitsSinceCheckpoint = this.checkpointEvery; // the next open has nothing to replay
    this.commit();
    this.closed = true;
    this.db.close();
  }

  // ---- opening ----

  /** The newest sample of each series (for latest(), and to refuse older ones): the end of
   * its head, or of its newest stored chunk. After the replay, which must not refuse any. */
  private findLastSamples(): void {
    for (const s of this.byKey.values()) {
      if (s.raw.count > 0) {
        s.lastTime = s.raw.lastTime;
        s.lastValue = s.raw.columns[1]![s.raw.count - 1]!;
        continue;
      }
      if (Number.isFinite(s.lastTime)) continue;
      const last = this.statements.lastChunk.get(s.id) as { end: number; data: Uint8Array } | undefined;
      if (!last) continue;
      const { columns, count } = decodeChunk(last.data);
      s.lastTime = last.end;
      s.lastValue = columns[0]![count - 1]!;
    }
  }

  /** Replays the commit log onto the heads: the samples committed since the last head
   * checkpoint (all of them, after a crash). Chunks that close on the way were stored by the
   * same commits, so they are not stored again. */
  private replayCommitLog(): void {
    const byId = new Map([...this.byKey.values()].map((s) => [s.id, s]));
    const rows = this.db.prepare('SELECT data FROM commit_log ORDER BY seq').all() as { data: Uint8Array }[];
    this.replaying = true;
    try {
      for (const row of rows) {
        let entries: LogEntry[];
        try {
          entries = decodeLogRow(row.data);
        } catch (err) {
          this.warnings.push(`history: a commit log row could not be read and is skipped: ${(err as Error).message}`);
          continue;
        }
        for (const { series, t, v } of entries) {
          const s = byId.get(series);
          if (!s) continue;
          for (let i = 0; i < t.length; i++) s.append(t[i]!, v[i]!);
          s.committed();
          this.headsDirty.add(s);
        }
      }
    } finally {
      this.replaying = false;
    }
    this.commitsSinceCheckpoint = rows.length;
  }

  /** Rebuilds the in-memory side from the file (up to the last head checkpoint); the highest
   * series id ever given. */
  private load(): number {
    const sequence = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'series'").get() as { seq: number } | undefined;
    let maxId = sequence?.seq ?? 0;
    for (const row of this.db.prepare('SELECT id, key, kind FROM series').all() as { id: number; key: string; kind: SeriesKind }[]) {
      this.byKey.set(row.key, this.newSeries(row.id, row.key, row.kind, true));
      maxId = Math.max(maxId, row.id);
    }
    const byId = new Map([...this.byKey.values()].map((s) => [s.id, s]));
    for (const row of this.db.prepare('SELECT series, tier, data FROM heads').all() as { series: number; tier: number; data: Uint8Array }[]) {
      const s = byId.get(row.series);
      if (!s) continue;
      try {
        if (row.tier === RAW) {
          const head = decodeHeadRecord(row.data);
          if (head.raw.length > 0) s.raw.load(head.raw);
          s.open[MINUTE] = head.minute;
          s.open[HOUR] = head.hour;
        } else if (row.tier === MINUTE || row.tier === HOUR) {
          s.rollups[row.tier].load(row.data);
        }
      } catch (err) {
        // The rest of the history is fine: lose this head's few minutes, not the file.
        s.raw.clear();
        this.warnings.push(`history of ${s.key}: its newest samples (${TIERS[row.tier] ?? row.tier} head) could not be read and are skipped: ${(err as Error).message}`);
      }
    }
    return maxId;
  }
}

function prepare(db: DatabaseSync) {
  const perTier = (sql: (table: string) => string): StatementSync[] => TIER_TABLES.map((table) => db.prepare(sql(table)));
  return {
    insertSeries: db.prepare('INSERT INTO series (id, key, kind) VALUES (?, ?, ?)'),
    deleteSeries: db.prepare('DELETE FROM series WHERE id = ?'),
    insertChunk: perTier((t) => `INSERT INTO ${t} (series, start, end, data) VALUES (?, ?, ?, ?)`),
    insertRawChunk: db.prepare('INSERT INTO chunks_raw (series, start, end, times, data) VALUES (?, ?, ?, ?, ?)'),
    chunksInRange: perTier((t) => `SELECT rowid, start${t === 'chunks_raw' ? ', times' : ''} FROM ${t} WHERE series = ? AND end >= ? AND end <= ? ORDER BY end`),
    chunkData: perTier((t) => `SELECT data FROM ${t} WHERE rowid = ?`),
    firstChunk: perTier((t) => `SELECT start FROM ${t} WHERE series = ? ORDER BY end LIMIT 1`),
    oldestChunks: perTier((t) => `SELECT rowid, end FROM ${t} ORDER BY rowid LIMIT ?`),
    deleteChunksUpTo: perTier((t) => `DELETE FROM ${t} WHERE rowid <= ?`),
    deleteSeriesChunks: perTier((t) => `DELETE FROM ${t} WHERE series = ?`),
    lastChunk: db.prepare('SELECT end, data FROM chunks_raw WHERE series = ? ORDER BY end DESC LIMIT 1'),
    appendLog: db.prepare('INSERT INTO commit_log (data) VALUES (?)'),
    clearLog: db.prepare('DELETE FROM commit_log'),
    putHead: db.prepare('INSERT INTO heads (series, tier, data) VALUES (?, ?, ?) ON CONFLICT (tier, series) DO UPDATE SET data = excluded.data'),
    deleteHead: db.prepare('DELETE FROM heads WHERE series = ? AND tier = ?'),
    deleteHeads: db.prepare('DELETE FROM heads WHERE series = ?'),
  };
}

function validRetention(retention: HistoryRetention): HistoryRetention {
  for (const [tier, ms] of Object.entries(retention)) {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 3_600_000) {
      throw new RangeError(`history retention for ${tier} must be at least 1 hour (in ms), got ${ms}`);
    }
  }
  return retention;
}

export type { HistoryTier };
