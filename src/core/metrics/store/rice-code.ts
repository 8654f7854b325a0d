// Rice coding of integer residuals, the entropy coder of the history store's chunks.
// A residual (the difference left after predicting a sample from the ones before it) is
// zigzag-mapped to a non-negative z, then written as z >> k in unary and the low k bits as
// they are. For the roughly two-sided-geometric residuals of sampled metrics this comes
// within a few percent of their entropy (it is what FLAC and lossless JPEG use), and one
// parameter k per column per chunk adapts it to that column's spread. Outliers are escaped
// so that one spike cannot cost thousands of unary bits.
import type { BitInputStream, BitOutputStream } from '@thi.ng/bitstream';

/** A quotient this large is escaped: ESCAPE ones, then 6 bits of length, then z itself. */
const ESCAPE = 20;
const TWO_32 = 2 ** 32;
const TWO_31 = 2 ** 31;

/** Maps ..., -2, -1, 0, 1, 2, ... to 3, 1, 0, 2, 4 so that small magnitudes get short codes. */
export const zigzag = (n: number): number => (n >= 0 ? n * 2 : -n * 2 - 1);
export const unzigzag = (z: number): number => (z % 2 === 0 ? z / 2 : -(z + 1) / 2);

/** Bits needed for a non-negative integer below 2^53 (0 for 0). */
export function bitLength(z: number): number {
  if (z < TWO_32) return 32 - Math.clz32(z);
  return 64 - Math.clz32(Math.floor(z / TWO_32));
}

/** Bits that `zs` (zigzagged) take with parameter k. */
export function riceCost(zs: Float64Array, count: number, k: number): number {
  const scale = 2 ** k;
  let bits = 0;
  for (let i = 0; i < count; i++) {
    const z = zs[i]!;
    const q = z < TWO_31 && k < 31 ? z >>> k : Math.floor(z / scale);
    bits += q < ESCAPE ? q + 1 + k : ESCAPE + 6 + bitLength(z);
  }
  return bits;
}

/** The k that codes `zs` in the fewest bits, and that many bits. The optimum sits next to
 * log2 of the mean (for a geometric source), so only its neighbours are tried. */
export function bestRiceParameter(zs: Float64Array, count: number): { k: number; bits: number } {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += zs[i]!;
  const guess = count === 0 || sum === 0 ? 0 : Math.max(0, Math.floor(Math.log2((sum / count) * Math.LN2 + 1)));
  let best = { k: guess, bits: riceCost(zs, count, guess) };
  for (const k of [guess - 1, guess + 1]) {
    if (k < 0 || k > 52) continue;
    const bits = riceCost(zs, count, k);
    if (bits < best.bits) best = { k, bits };
  }
  return best;
}

export function writeRice(out: BitOutputStream, z: number, k: number): void {
  const scale = 2 ** k;
  const q = Math.floor(z / scale);
  if (q < ESCAPE) {
    out.write(2 ** (q + 1) - 2, q + 1); // q ones, then the terminating zero
    if (k > 0) out.write(z - q * scale, k);
  } else {
    const length = bitLength(z);
    out.write(2 ** ESCAPE - 1, ESCAPE);
    out.write(length, 6);
    out.write(z, length);
  }
}

export function readRice(input: BitInputStream, k: number): number {
  let q = 0;
  while (q < ESCAPE && input.readBit() === 1) q++;
  if (q === ESCAPE) {
    const length = input.read(6);
    return length === 0 ? 0 : input.read(length);
  }
  return k > 0 ? q * 2 ** k + input.read(k) : q;
}

/** Unsigned integers below 2^53 in groups of 7 bits, for the few header fields of a column. */
export function writeVarint(out: BitOutputStream, n: number): void {
  while (n >= 128) {
    out.write(128 | n % 128, 8);
    n = Math.floor(n / 128);
  }
  out.write(n, 8);
}

export function readVarint(input: BitInputStream): number {
  let n = 0;
  let scale = 1;
  for (;;) {
    const group = input.read(8);
    n += (group & 127) * scale;
    if (group < 128) return n;
    scale *= 128;
    if (scale > 2 ** 56) throw new Error('corrupt chunk: a varint runs past 53 bits');
  }
}
