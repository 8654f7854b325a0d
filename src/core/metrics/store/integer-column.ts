// One column of a chunk as integers: the values are decimals (a sampler's CPU 12.34 %, a byte
// count, a millisecond timestamp) scaled by 10^decimals to integers, predicted from the value
// before (order 1: delta) or from the two before (order 2: delta of delta, Gorilla's trick for
// timestamps, and right for counters and clocks that grow steadily), divided by the residuals'
// greatest common divisor (memory moves in KiB or 4 KiB pages, a schedule in whole seconds),
// then Rice- or exp-Golomb-coded. Each choice is made per column per chunk by counting bits.
import type { BitOutputStream } from '@thi.ng/bitstream';
import type { BitReader } from './bit-reader.ts';
import { bestCoder, bitLength, readCoded, readVarint, unzigzag, writeCoded, writeVarint, zigzag } from './rice-code.ts';

/** Beyond 9 decimals a value is not a decimal anyone typed or sampled: leave it to XOR. */
const MAX_DECIMALS = 9;
/** Scaled values stay within ±2^50, so that second differences stay exact doubles. */
const LIMIT = 2 ** 50;
const POW10 = Array.from({ length: MAX_DECIMALS + 1 }, (_, i) => 10 ** i);

/** The fewest decimals that reproduce every value exactly, with the scaled integers; null
 * when some value has more decimals than that or is too large (the XOR column takes it).
 * -0 counts as 0 here: a sampled zero has no sign worth keeping. */
export function scaledIntegers(values: Float64Array, count: number): { decimals: number; ints: Float64Array } | null {
  const ints = new Float64Array(count);
  next: for (let decimals = 0; decimals <= MAX_DECIMALS; decimals++) {
    const scale = POW10[decimals]!;
    for (let i = 0; i < count; i++) {
      const v = values[i]!;
      const q = Math.round(v * scale);
      if (q / scale !== v) continue next;
      if (q > LIMIT || q < -LIMIT) return null;
      ints[i] = q;
    }
    return { decimals, ints };
  }
  return null;
}

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const rest = a % b;
    a = b;
    b = rest;
  }
  return a;
}

/**
 * How a value is predicted from what came before:
 *   DELTA  the value before (residual: the change)
 *   DOUBLE the value before plus the change before (delta of delta: steady growth)
 *   LINE   the straight line from the column's first value to its last (residual: how far off
 *          the line): a sampler's timestamps, on schedule but each a few ms late, cost the
 *          lateness itself instead of differences of lateness, which spread three times wider
 */
const DELTA = 0;
const DOUBLE = 1;
const LINE = 2;

interface Plan {
  predictor: number;
  /** DOUBLE: the first delta; LINE: the rise from first to last. */
  header: number;
  divisor: number;
  bits: number;
  residuals: Float64Array; // zigzagged, divided
  count: number;
}

/** The line's prediction for entry i: the same expression when decoding. */
const onLine = (first: number, rise: number, i: number, last: number): number => first + Math.round((rise * i) / last);

/** Residuals for a predictor, divided by their gcd and zigzagged, with a quick estimate of
 * their cost (the sum of their bit lengths, which tracks any of the coders' lengths). */
function plan(ints: Float64Array, count: number, predictor: number): Plan {
  const first = ints[0]!;
  const header = predictor === DOUBLE ? ints[1]! - first : predictor === LINE ? ints[count - 1]! - first : 0;
  const from = predictor === DOUBLE ? 2 : 1;
  const to = predictor === LINE ? count - 1 : count; // the line ends on the last value: no residual
  const residuals = new Float64Array(Math.max(0, to - from));
  let divisor = 0;
  for (let i = from; i < to; i++) {
    const r =
      predictor === DELTA
        ? ints[i]! - ints[i - 1]!
        : predictor === DOUBLE
          ? ints[i]! - 2 * ints[i - 1]! + ints[i - 2]!
          : ints[i]! - onLine(first, header, i, count - 1);
    residuals[i - from] = r;
    if (divisor !== 1 && r !== 0) divisor = gcd(divisor, Math.abs(r));
  }
  const n = residuals.length;
  let bits = predictor === DELTA ? 0 : 8 * Math.ceil(Math.max(1, bitLength(zigzag(header))) / 7);
  if (divisor !== 0) {
    for (let i = 0; i < n; i++) {
      const z = zigzag(residuals[i]! / divisor);
      residuals[i] = z;
      bits += bitLength(z) + 1;
    }
  }
  return { predictor, header, divisor, bits, residuals, count: n };
}

export function writeIntegerColumn(out: BitOutputStream, decimals: number, ints: Float64Array, count: number): void {
  out.write(decimals, 4);
  writeVarint(out, zigzag(ints[0]!));
  if (count === 1) return;
  let best = plan(ints, count, DELTA);
  if (count > 2 && best.divisor !== 0) {
    for (const predictor of [DOUBLE, LINE]) {
      const other = plan(ints, count, predictor);
      if (other.bits < best.bits) best = other;
    }
  }
  out.write(best.predictor, 2);
  if (best.predictor !== DELTA) writeVarint(out, zigzag(best.header));
  writeVarint(out, best.divisor);
  if (best.divisor === 0) return; // every residual is 0: nothing more to say
  const { coder, k } = bestCoder(best.residuals, best.count);
  out.write(coder, 1);
  out.write(k, 6);
  for (let i = 0; i < best.count; i++) writeCoded(out, coder, best.residuals[i]!, k);
}

export function readIntegerColumn(input: BitReader, count: number, into: Float64Array): void {
  const decimals = input.read(4);
  if (decimals > MAX_DECIMALS) throw new Error(`corrupt chunk: ${decimals} decimals`);
  const scale = POW10[decimals]!;
  const first = unzigzag(readVarint(input));
  if (count === 1) {
    into[0] = first / scale;
    return;
  }
  const predictor = input.read(2);
  if (predictor > LINE) throw new Error(`corrupt chunk: predictor ${predictor}`);
  const header = predictor === DELTA ? 0 : unzigzag(readVarint(input));
  const divisor = readVarint(input);
  // The residuals first, into `into` itself (as scaled integers), then the values from them.
  const from = predictor === DOUBLE ? 2 : 1;
  const to = predictor === LINE ? count - 1 : count;
  if (divisor === 0) {
    into.fill(0, from, to);
  } else {
    const coder = input.read(1);
    const k = input.read(6);
    for (let i = from; i < to; i++) into[i] = unzigzag(readCoded(input, coder, k)) * divisor;
  }
  if (predictor === LINE) {
    for (let i = 1; i < count - 1; i++) into[i] = onLine(first, header, i, count - 1) + into[i]!;
    into[count - 1] = first + header;
  } else if (predictor === DELTA) {
    let value = first;
    for (let i = 1; i < count; i++) {
      value += into[i]!;
      into[i] = value;
    }
  } else {
    let value = first + header; // the first delta came in the header
    let delta = header;
    into[1] = value;
    for (let i = 2; i < count; i++) {
      delta += into[i]!;
      value += delta;
      into[i] = value;
    }
  }
  into[0] = first;
  if (scale !== 1) for (let i = 0; i < count; i++) into[i] = into[i]! / scale;
}
