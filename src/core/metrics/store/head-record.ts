// What a head checkpoint writes for a series: its open raw chunk plus the minute and hour
// buckets still filling, in one small row, so that a restart resumes the rollups exactly
// where the checkpoint (plus the commit log after it) left them. Closed rollup buckets not yet
// in a chunk have head rows of their own.
import type { RollupBucket } from './rollup-bucket.ts';

export interface HeadRecord {
  /** The open raw chunk, encoded; empty when it has no samples yet. */
  raw: Uint8Array;
  minute: RollupBucket | null;
  hour: RollupBucket | null;
}

const BUCKET_BYTES = 5 * 8;

export function encodeHeadRecord(head: HeadRecord): Uint8Array {
  const buckets = [head.minute, head.hour];
  const bytes = new Uint8Array(4 + head.raw.length + 1 + buckets.filter(Boolean).length * BUCKET_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, head.raw.length);
  bytes.set(head.raw, 4);
  let at = 4 + head.raw.length;
  view.setUint8(at++, (head.minute ? 1 : 0) | (head.hour ? 2 : 0));
  for (const b of buckets) {
    if (!b) continue;
    for (const n of [b.start, b.min, b.max, b.sum, b.count]) {
      view.setFloat64(at, n);
      at += 8;
    }
  }
  return bytes;
}

export function decodeHeadRecord(bytes: Uint8Array): HeadRecord {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rawLength = view.getUint32(0);
  const flagsAt = 4 + rawLength;
  if (flagsAt >= bytes.length) throw new Error(`corrupt head record: ${bytes.length} bytes, raw part ${rawLength}`);
  const flags = view.getUint8(flagsAt);
  let at = flagsAt + 1;
  const bucket = (present: boolean): RollupBucket | null => {
    if (!present) return null;
    if (at + BUCKET_BYTES > bytes.length) throw new Error('corrupt head record: bucket cut short');
    const [start, min, max, sum, count] = [0, 1, 2, 3, 4].map((i) => view.getFloat64(at + i * 8)) as [number, number, number, number, number];
    at += BUCKET_BYTES;
    return { start, min, max, sum, count };
  };
  return { raw: bytes.subarray(4, flagsAt), minute: bucket((flags & 1) !== 0), hour: bucket((flags & 2) !== 0) };
}
