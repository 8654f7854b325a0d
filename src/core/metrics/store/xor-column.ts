// One column of a chunk as raw doubles, XOR-coded the way Gorilla (Facebook's TSDB, and
// Prometheus after it) codes values: each value XORed with the one before, and only the
// bits that changed written. The fallback for values that are not short decimals (a
// scraped metric with 17 significant digits): lossless for every double, NaN included.
import type { BitOutputStream } from '@thi.ng/bitstream';
import type { BitReader } from './bit-reader.ts';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer); // little-endian: [low word, high word]
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = 1 - LO;

const clz64 = (hi: number, lo: number): number => (hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo));
const ctz32 = (x: number): number => (x === 0 ? 32 : 31 - Math.clz32(x & -x));
const ctz64 = (hi: number, lo: number): number => (lo !== 0 ? ctz32(lo) : 32 + ctz32(hi));

/** Writes bits [shift, shift + length) of the 64-bit word hi:lo. */
function writeBits64(out: BitOutputStream, hi: number, lo: number, shift: number, length: number): void {
  // Shift right by `shift` first, then write the low `length` bits, high part before low.
  let h = hi;
  let l = lo;
  if (shift >= 32) {
    l = hi >>> (shift - 32);
    h = 0;
  } else if (shift > 0) {
    l = ((lo >>> shift) | (hi << (32 - shift))) >>> 0;
    h = hi >>> shift;
  }
  if (length > 32) {
    out.write(h & (2 ** (length - 32) - 1), length - 32);
    out.write(l >>> 0, 32);
  } else {
    out.write(length === 32 ? l >>> 0 : l & (2 ** length - 1), length);
  }
}

/** Reads `length` bits and places them at bit `shift` of a 64-bit word: [hi, lo]. */
function readBits64(input: BitReader, shift: number, length: number): [number, number] {
  let h = 0;
  let l: number;
  if (length > 32) {
    h = input.read(length - 32);
    l = input.read(32);
  } else {
    l = input.read(length);
  }
  if (shift >= 32) return [(l << (shift - 32)) >>> 0, 0];
  if (shift > 0) return [((h << shift) | (l >>> (32 - shift))) >>> 0, (l << shift) >>> 0];
  return [h >>> 0, l >>> 0];
}

export function writeXorColumn(out: BitOutputStream, values: Float64Array, count: number): void {
  f64[0] = values[0]!;
  let prevHi = u32[HI]!;
  let prevLo = u32[LO]!;
  out.write(prevHi, 32);
  out.write(prevLo, 32);
  let leading = -1;
  let trailing = 0;
  for (let i = 1; i < count; i++) {
    f64[0] = values[i]!;
    const hi = u32[HI]!;
    const lo = u32[LO]!;
    const xHi = (hi ^ prevHi) >>> 0;
    const xLo = (lo ^ prevLo) >>> 0;
    prevHi = hi;
    prevLo = lo;
    if (xHi === 0 && xLo === 0) {
      out.write(0, 1);
      continue;
    }
    const lz = Math.min(31, clz64(xHi, xLo));
    const tz = ctz64(xHi, xLo);
    if (leading >= 0 && lz >= leading && tz >= trailing) {
      // The changed bits fit the window of the value before: reuse it.
      out.write(0b10, 2);
      writeBits64(out, xHi, xLo, trailing, 64 - leading - trailing);
    } else {
      leading = lz;
      trailing = tz;
      const length = 64 - lz - tz;
      out.write(0b11, 2);
      out.write(lz, 5);
      out.write(length - 1, 6);
      writeBits64(out, xHi, xLo, tz, length);
    }
  }
}

export function readXorColumn(input: BitReader, count: number, into: Float64Array): void {
  let hi = input.read(32);
  let lo = input.read(32);
  u32[HI] = hi;
  u32[LO] = lo;
  into[0] = f64[0]!;
  let leading = 0;
  let trailing = 0;
  for (let i = 1; i < count; i++) {
    if (input.readBit() === 1) {
      if (input.readBit() === 1) {
        leading = input.read(5);
        trailing = 64 - leading - (input.read(6) + 1);
        if (trailing < 0) throw new Error('corrupt chunk: XOR window past 64 bits');
      }
      const [xHi, xLo] = readBits64(input, trailing, 64 - leading - trailing);
      hi = (hi ^ xHi) >>> 0;
      lo = (lo ^ xLo) >>> 0;
    }
    u32[HI] = hi;
    u32[LO] = lo;
    into[i] = f64[0]!;
  }
}
