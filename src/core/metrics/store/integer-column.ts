// One column of a chunk as integers: the values are decimals (a sampler's CPU 12.34 %, a byte
// count, a millisecond timestamp) scaled by 10^decimals to integers, predicted from the value
// before (order 1: delta) or from the two before (order 2: delta of delta, Gorilla's trick for
// timestamps, and right for counters and clocks that grow steadily), divided by the residuals'
// greatest common divisor (memory moves in KiB or 4 KiB pages, a schedule in whole seconds),
// then Rice-coded. Each choice is made per column per chunk by counting the bits.
import type { BitInputStream, BitOutputStream } from '@thi.ng/bitstream';
import { bestRiceParameter, readRice, readVarint, unzigzag, writeRice, writeVarint, zigzag } from './rice-code.ts';

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

interface Plan {
  order: 1 | 2;
  divisor: number;
  k: number;
  bits: number;
  residuals: Float64Array; // zigzagged, divided
  count: number;
}

/** Residuals of the given order, divided by their gcd and zigzagged, with their Rice cost. */
function plan(ints: Float64Array, count: number, order: 1 | 2): Plan {
  const residuals = new Float64Array(Math.max(0, count - order));
  let divisor = 0;
  for (let i = order; i < count; i++) {
    const r = order === 1 ? ints[i]! - ints[i - 1]! : ints[i]! - 2 * ints[i - 1]! + ints[i - 2]!;
    residuals[i - order] = r;
    if (divisor !== 1) divisor = gcd(divisor, Math.abs(r));
  }
  const n = residuals.length;
  if (divisor === 0) return { order, divisor, k: 0, bits: 0, residuals, count: n };
  for (let i = 0; i < n; i++) residuals[i] = zigzag(residuals[i]! / divisor);
  const { k, bits } = bestRiceParameter(residuals, n);
  return { order, divisor, k, bits, residuals, count: n };
}

/** Order 2 spends one more header varint (the first delta): count it too. */
const headerBits = (p: Plan, firstDelta: number): number => (p.order === 2 ? 8 * Math.ceil(Math.max(1, Math.log2(zigzag(firstDelta) + 1)) / 7) : 0);

export function writeIntegerColumn(out: BitOutputStream, decimals: number, ints: Float64Array, count: number): void {
  out.write(decimals, 4);
  writeVarint(out, zigzag(ints[0]!));
  if (count === 1) return;
  const firstDelta = ints[1]! - ints[0]!;
  const candidates = count > 2 ? [plan(ints, count, 1), plan(ints, count, 2)] : [plan(ints, count, 1)];
  const best = candidates.reduce((a, b) => (b.bits + headerBits(b, firstDelta) < a.bits + headerBits(a, firstDelta) ? b : a));
  out.write(best.order - 1, 1);
  if (best.order === 2) writeVarint(out, zigzag(firstDelta));
  writeVarint(out, best.divisor);
  if (best.divisor === 0) return; // every residual is 0: nothing more to say
  out.write(best.k, 6);
  for (let i = 0; i < best.count; i++) writeRice(out, best.residuals[i]!, best.k);
}

export function readIntegerColumn(input: BitInputStream, count: number, into: Float64Array): void {
  const decimals = input.read(4);
  if (decimals > MAX_DECIMALS) throw new Error(`corrupt chunk: ${decimals} decimals`);
  const scale = POW10[decimals]!;
  let value = unzigzag(readVarint(input));
  into[0] = value / scale;
  if (count === 1) return;
  const order = input.read(1) + 1;
  let delta = order === 2 ? unzigzag(readVarint(input)) : 0;
  const divisor = readVarint(input);
  const k = divisor === 0 ? 0 : input.read(6);
  for (let i = 1; i < count; i++) {
    if (order === 2 && i === 1) {
      value += delta; // the first delta came in the header
    } else {
      const residual = divisor === 0 ? 0 : unzigzag(readRice(input, k)) * divisor;
      if (order === 1) {
        value += residual;
      } else {
        delta += residual;
        value += delta;
      }
    }
    into[i] = value / scale;
  }
}
