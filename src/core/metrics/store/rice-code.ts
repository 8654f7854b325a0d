// The entropy coders of the history store's chunks. A residual (what is left after
// predicting a sample from the ones before it) is zigzag-mapped to a non-negative z, then:
//   Rice-k          z >> k in unary, then the low k bits. Within a few percent of the entropy
//                   of two-sided-geometric residuals (FLAC and lossless JPEG use it): CPU
//                   jitter, memory drift. Outliers are escaped, so a spike costs ~30 bits.
//   exp-Golomb-k    (z >> k) + 1 in Elias-gamma code, then the low k bits: 2 log2 z bits,
//                   right for heavy tails, like a timer that is mostly on time, sometimes
//                   late by 5, 20 or 100 ms.
// One coder and one k per column per chunk, whichever counts the fewest bits.
import type { BitOutputStream } from '@thi.ng/bitstream';
import type { BitReader } from './bit-reader.ts';

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

/** Bits of exp-Golomb-k for `zs`. */
export function expGolombCost(zs: Float64Array, count: number, k: number): number {
  const scale = 2 ** k;
  let bits = 0;
  for (let i = 0; i < count; i++) {
    const z = zs[i]!;
    const w = (z < TWO_31 && k < 31 ? z >>> k : Math.floor(z / scale)) + 1;
    bits += 2 * bitLength(w) - 1 + k;
  }
  return bits;
}

export const RICE = 0;
export const EXP_GOLOMB = 1;

/** The coder and k that code `zs` in the fewest bits. */
export function bestCoder(zs: Float64Array, count: number): { coder: number; k: number; bits: number } {
  const rice = bestRiceParameter(zs, count);
  let best = { coder: RICE, k: rice.k, bits: rice.bits };
  // exp-Golomb's best k sits at or below Rice's.
  for (let k = Math.max(0, rice.k - 3); k <= rice.k; k++) {
    const bits = expGolombCost(zs, count, k);
    if (bits < best.bits) best = { coder: EXP_GOLOMB, k, bits };
  }
  return best;
}

export function writeCoded(out: BitOutputStream, coder: number, z: number, k: number): void {
  if (coder === RICE) {
    writeRice(out, z, k);
    return;
  }
  const scale = 2 ** k;
  const high = Math.floor(z / scale);
  const w = high + 1;
  const n = bitLength(w) - 1;
  // n zeros, then w in n + 1 bits (its leading 1 ends the run of zeros).
  for (let left = n; left > 0; left -= Math.min(left, 24)) out.write(0, Math.min(left, 24));
  out.write(w, n + 1);
  if (k > 0) out.write(z - high * scale, k);
}

export function readCoded(input: BitReader, coder: number, k: number): number {
  if (coder === RICE) return readRice(input, k);
  const n = input.readZeros();
  const w = input.read(n + 1); // its leading 1 ended the zeros
  return k > 0 ? (w - 1) * 2 ** k + input.read(k) : w - 1;
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

export function readRice(input: BitReader, k: number): number {
  // The common case in one 24-bit window: the unary quotient, its 0 and the k low bits.
  const window = input.peek24();
  const ones = Math.clz32(~(window << 8));
  const used = ones + 1 + k;
  if (ones < ESCAPE && used <= 24) {
    input.advance(used);
    return k === 0 ? ones : ones * (1 << k) + ((window >>> (24 - used)) & ((1 << k) - 1));
  }
  const q = input.readOnes(ESCAPE);
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

export function readVarint(input: BitReader): number {
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
