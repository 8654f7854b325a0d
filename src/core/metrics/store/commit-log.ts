// What a commit writes for the samples that came since the one before: one row holding, per
// series, just those few samples (a small chunk each). Every 60 commits (5 minutes) the open
// chunks' head rows are written whole and the log is emptied (a head checkpoint); opening the
// file replays the log onto the heads. Rewriting every head row at every commit instead wrote
// 32 KiB of WAL per commit for 50 series (8 pages; 550 MB a day); with the log it is 12.7 KiB
// on average, 3 pages most of the time (`npm run bench -- store`).
import { decodeChunk, encodeChunk } from './chunk-codec.ts';

export interface LogEntry {
  series: number;
  t: ArrayLike<number>;
  v: ArrayLike<number>;
}

export function encodeLogRow(entries: readonly LogEntry[]): Uint8Array {
  const parts = entries.map((e) => encodeChunk([Float64Array.from(e.t), Float64Array.from(e.v)], e.t.length));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + 8 + p.length, 0));
  const view = new DataView(bytes.buffer);
  let at = 0;
  entries.forEach((e, i) => {
    const part = parts[i]!;
    view.setUint32(at, e.series);
    view.setUint32(at + 4, part.length);
    bytes.set(part, at + 8);
    at += 8 + part.length;
  });
  return bytes;
}

export function decodeLogRow(bytes: Uint8Array): LogEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: LogEntry[] = [];
  for (let at = 0; at < bytes.length; ) {
    if (at + 8 > bytes.length) throw new Error('corrupt commit log row: an entry is cut short');
    const series = view.getUint32(at);
    const length = view.getUint32(at + 4);
    const { columns } = decodeChunk(bytes.subarray(at + 8, at + 8 + length));
    entries.push({ series, t: columns[0]!, v: columns[1]! });
    at += 8 + length;
  }
  return entries;
}
