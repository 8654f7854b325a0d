// A chunk: one series' samples over one stretch of time, in one tier, packed into one BLOB.
// Columns side by side, each coded on its own: raw chunks have [time, value], rollup chunks
// [bucket start, min, max, sum, count]. A column of short decimals is coded as integers
// (integer-column.ts), anything else as XORed doubles (xor-column.ts).
import { BitOutputStream } from '@thi.ng/bitstream';
import { BitReader } from './bit-reader.ts';
import { readIntegerColumn, scaledIntegers, writeIntegerColumn } from './integer-column.ts';
import { readVarint, writeVarint } from './rice-code.ts';
import { readXorColumn, writeXorColumn } from './xor-column.ts';

const FORMAT = 1;

export interface DecodedChunk {
  count: number;
  columns: Float64Array[];
}

/** Encodes the first `count` entries of each column. */
export function encodeChunk(columns: readonly Float64Array[], count: number): Uint8Array {
  if (count < 1) throw new Error('a chunk holds at least one sample');
  const out = new BitOutputStream(64 + count * columns.length * 2);
  out.write(FORMAT, 8);
  writeVarint(out, count);
  out.write(columns.length, 4);
  for (const column of columns) {
    const integers = scaledIntegers(column, count);
    if (integers) {
      out.write(0, 1);
      writeIntegerColumn(out, integers.decimals, integers.ints, count);
    } else {
      out.write(1, 1);
      writeXorColumn(out, column, count);
    }
  }
  return out.bytes();
}

export function decodeChunk(bytes: Uint8Array): DecodedChunk {
  if (bytes.length < 3) throw new Error(`corrupt chunk: ${bytes.length} bytes`);
  const input = new BitReader(bytes);
  const format = input.read(8);
  if (format !== FORMAT) throw new Error(`unknown chunk format ${format}`);
  const count = readVarint(input);
  const width = input.read(4);
  const columns: Float64Array[] = [];
  for (let c = 0; c < width; c++) {
    const column = new Float64Array(count);
    if (input.read(1) === 0) readIntegerColumn(input, count, column);
    else readXorColumn(input, count, column);
    columns.push(column);
  }
  return { count, columns };
}
