// Raw chunks keep their timestamps apart from their values, in a table of time blocks that
// series share. A sampler stamps every series of one tick with the same time, so the series
// it samples together close their chunks on the same ticks with identical time columns: the
// column is stored once for all of them. That matters when ticks are not exactly on
// schedule: a timer a few ms late costs each stored time column ~5 bits a sample, which
// alone would be half of all the bytes if each of 50 series kept its own.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { LRUCache } from 'lru-cache';
import { decodeChunk } from './chunk-codec.ts';
import { UnwrittenRows } from './unwritten-rows.ts';

/** Blocks remembered for sharing: a tick group's series close theirs within a few ticks. */
const RECENT = 512;
/** Decoded blocks kept for queries: 10 series over a day read the same 360 blocks. */
const CACHED = 1024;

interface Block {
  id: number;
  end: number;
  data: Uint8Array;
}

export class TimeBlocks {
  private readonly recent = new Map<string, number>();
  private readonly decoded = new LRUCache<number, Float64Array>({ max: CACHED });
  private readonly pending = new UnwrittenRows<Block>();
  private nextId: number;
  private readonly insert: StatementSync;
  private readonly select: StatementSync;
  private readonly oldest: StatementSync;
  private readonly deleteUpTo: StatementSync;

  constructor(db: DatabaseSync) {
    this.insert = db.prepare('INSERT INTO times (id, end, data) VALUES (?, ?, ?)');
    this.select = db.prepare('SELECT data FROM times WHERE id = ?');
    this.oldest = db.prepare('SELECT id, end FROM times ORDER BY id LIMIT ?');
    this.deleteUpTo = db.prepare('DELETE FROM times WHERE id <= ?');
    const { max } = db.prepare('SELECT MAX(id) AS max FROM times').get() as { max: number | null };
    this.nextId = (max ?? 0) + 1;
  }

  /** The id of a block with these bytes: one a series of the same tick group stored already,
   * or a new one (written at the next commit). */
  share(data: Uint8Array, end: number): number {
    const key = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
    const known = this.recent.get(key);
    if (known !== undefined) return known;
    const id = this.nextId++;
    this.pending.push({ id, end, data });
    this.recent.set(key, id);
    if (this.recent.size > RECENT) this.recent.delete(this.recent.keys().next().value!);
    return id;
  }

  /** The timestamps of a block; null when it is gone (retention deleted it: a chunk that
   * still points to it is older than any query reaches). */
  column(id: number): Float64Array | null {
    const cached = this.decoded.get(id);
    if (cached) return cached;
    const waiting = this.pending.all().find((b) => b.id === id);
    const data = waiting?.data ?? (this.select.get(id) as { data: Uint8Array } | undefined)?.data;
    if (!data) return null;
    const times = decodeChunk(data).columns[0]!;
    this.decoded.set(id, times);
    return times;
  }

  get unwritten(): number {
    return this.pending.length;
  }

  /** Inside the store's commit transaction. */
  write(): void {
    for (const b of this.pending.take()) this.insert.run(b.id, b.end, b.data);
  }

  /** After the transaction: committed, or rolled back (the blocks wait for the next one). */
  written(committed: boolean): void {
    this.pending.settle(committed);
  }

  /** Deletes up to `budget` blocks ending before `cutoff` from the front (ids grow with time,
   * and a block ends with the chunks that use it); the number deleted. */
  expireBefore(cutoff: number, budget: number): number {
    const rows = this.oldest.all(budget) as { id: number; end: number }[];
    let last = -1;
    let deleted = 0;
    for (const row of rows) {
      if (row.end >= cutoff) break;
      last = row.id;
      deleted++;
    }
    if (last >= 0) this.deleteUpTo.run(last);
    return deleted;
  }
}
