// The in-memory side of one series: its open raw chunk, its rollup buckets filling up, and
// the rollup chunks not yet full. Samples come in; closed chunks go out to the store, which
// writes them at the next commit. No SQLite here, so that ingest is plain arithmetic.
import type { SeriesKind } from '../../../shared/metrics.ts';
import { ChunkBuilder } from './chunk-builder.ts';
import { encodeChunk } from './chunk-codec.ts';
import { encodeHeadRecord } from './head-record.ts';
import { addToBucket, bucketStart, bucketSum, HOUR_MS, MINUTE_MS, newBucket, type RollupBucket } from './rollup-bucket.ts';
import { quantizer } from './series-precision.ts';

/** Tier numbers as stored: 0 raw, 1 minute, 2 hour. */
export const RAW = 0;
export const MINUTE = 1;
export const HOUR = 2;
const ROLLUP_STEP = [0, MINUTE_MS, HOUR_MS];

export interface ChunkSizes {
  /** Samples per raw chunk, buckets per minute and hour chunk. */
  raw: number;
  minute: number;
  hour: number;
}

/** Beyond this many samples between two commits (history paused a while), the next commit
 * writes the heads rather than a commit log row. */
const MAX_FRESH = 1000;

/** A chunk never spans more than this (ms), so a query can bound its index range. */
export const MAX_CHUNK_SPAN = [2 * HOUR_MS, 2 * 24 * HOUR_MS, 60 * 24 * HOUR_MS];

export interface ClosedChunk {
  series: number;
  tier: number;
  start: number;
  end: number;
  count: number;
  /** Raw chunks: the values only (their timestamps are in `times`); rollups: every column. */
  data: Uint8Array;
  /** Raw chunks: the encoded time column, and once the store has placed it, its block id. */
  times?: Uint8Array;
  timesId?: number;
}

export class SeriesHistory {
  readonly raw: ChunkBuilder;
  /** Closed buckets not yet in a chunk, per rollup tier (index MINUTE, HOUR). */
  readonly rollups: [null, ChunkBuilder, ChunkBuilder];
  /** The bucket still filling, per rollup tier. */
  readonly open: [null, RollupBucket | null, RollupBucket | null] = [null, null, null];
  /** What changed since the last head checkpoint: the raw head record, each rollup head. */
  readonly dirty = [false, false, false];
  /** Samples since the last commit, for its commit log row; null once more came than a log
   * row should hold (the next commit then writes the heads instead). */
  fresh: { t: number[]; v: number[] } | null = { t: [], v: [] };
  lastTime = Number.NEGATIVE_INFINITY;
  lastValue = Number.NaN;
  /** Written to the series table yet. */
  persisted: boolean;
  /** 10^decimals for a rounded series, null for an exact one (see rollup-bucket.ts). */
  readonly scale: number | null;
  private readonly quantize: (value: number) => number;

  readonly id: number;
  readonly key: string;
  readonly kind: SeriesKind;
  private readonly closed: (chunk: ClosedChunk) => void;

  constructor(
    id: number,
    key: string,
    kind: SeriesKind,
    /** Decimals kept (series-precision.ts), null for an exact series. */
    decimals: number | null,
    sizes: ChunkSizes,
    persisted: boolean,
    closed: (chunk: ClosedChunk) => void,
  ) {
    this.id = id;
    this.key = key;
    this.kind = kind;
    this.closed = closed;
    this.raw = new ChunkBuilder(2, sizes.raw);
    this.rollups = [null, new ChunkBuilder(5, sizes.minute), new ChunkBuilder(5, sizes.hour)];
    this.scale = decimals === null ? null : 10 ** decimals;
    this.quantize = quantizer(decimals);
    this.persisted = persisted;
  }

  /** Adds one sample; false when it is not newer than the last one (dropped). */
  append(t: number, value: number): boolean {
    if (!(t > this.lastTime)) return false;
    const v = this.quantize(value);
    const raw = this.raw;
    if (raw.count > 0 && (raw.full || t - raw.firstTime > MAX_CHUNK_SPAN[RAW]!)) this.closeRaw();
    raw.push2(t, v);
    this.roll(MINUTE, t, v);
    this.roll(HOUR, t, v);
    this.lastTime = t;
    this.lastValue = v;
    this.dirty[RAW] = true;
    if (this.fresh) {
      this.fresh.t.push(t);
      this.fresh.v.push(v);
      if (this.fresh.t.length > MAX_FRESH) this.fresh = null;
    }
    return true;
  }

  /** The fresh samples are committed (in a log row, or in the head rows). */
  committed(): void {
    if (this.fresh === null) this.fresh = { t: [], v: [] };
    this.fresh.t.length = 0;
    this.fresh.v.length = 0;
  }

  private roll(tier: 1 | 2, t: number, v: number): void {
    const start = bucketStart(t, ROLLUP_STEP[tier]!);
    const open = this.open[tier];
    if (open && open.start === start) {
      addToBucket(open, v, this.scale);
      return;
    }
    if (open) this.closeBucket(tier, open);
    this.open[tier] = newBucket(start, v, this.scale);
  }

  private closeBucket(tier: 1 | 2, bucket: RollupBucket): void {
    const head = this.rollups[tier];
    if (head.count > 0 && (head.full || bucket.start - head.firstTime > MAX_CHUNK_SPAN[tier]!)) {
      this.emit(tier, head);
    }
    head.push([bucket.start, bucket.min, bucket.max, bucketSum(bucket, this.scale), bucket.count]);
    this.dirty[tier] = true;
  }

  private closeRaw(): void {
    this.emit(RAW, this.raw);
  }

  private emit(tier: number, head: ChunkBuilder): void {
    const chunk = { series: this.id, tier, start: head.firstTime, end: head.lastTime, count: head.count };
    if (tier === RAW) {
      this.closed({ ...chunk, data: encodeChunk([head.columns[1]!], head.count), times: encodeChunk([head.columns[0]!], head.count) });
    } else {
      this.closed({ ...chunk, data: head.encode() });
    }
    head.clear();
    this.dirty[tier] = true;
  }

  /** The row that restores the raw head and the filling buckets after a restart. */
  headRecord(): Uint8Array {
    return encodeHeadRecord({ raw: this.raw.count > 0 ? this.raw.encode() : new Uint8Array(0), minute: this.open[MINUTE], hour: this.open[HOUR] });
  }
}
