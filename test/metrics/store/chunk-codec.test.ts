import { describe, expect, test } from 'vitest';
import { decodeChunk, encodeChunk } from '../../../src/core/metrics/store/chunk-codec.ts';
import { seeded, T0 } from './store-files.ts';

const roundTrip = (...columns: number[][]) => {
  const encoded = encodeChunk(
    columns.map((c) => Float64Array.from(c)),
    columns[0]!.length,
  );
  const decoded = decodeChunk(encoded);
  return { bytes: encoded.length, count: decoded.count, columns: decoded.columns.map((c) => [...c]) };
};

/** Object.is, so that -0 and NaN count as themselves. */
const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

describe('chunk codec', () => {
  test('a schedule of timestamps and 2-decimal values come back exactly, in well under 2 bytes a sample', () => {
    const random = seeded(1);
    const times = Array.from({ length: 240 }, (_, i) => T0 + i * 1000);
    const cpu = times.map(() => Math.round((20 + random() * 3) * 100) / 100);
    const out = roundTrip(times, cpu);
    expect(out.columns).toEqual([times, cpu]);
    expect(out.bytes / 240).toBeLessThan(2);
  });

  test('byte counts that move in 4 KiB pages cost a few bits each: the codec finds the step', () => {
    const random = seeded(2);
    let rss = 200 * 1024 * 1024;
    const times = Array.from({ length: 240 }, (_, i) => T0 + i * 1000);
    const values = times.map(() => (rss += Math.floor(random() * 5 - 2) * 4096));
    const out = roundTrip(times, values);
    expect(out.columns[1]).toEqual(values);
    expect(out.bytes).toBeLessThan(240); // 32-bit numbers, under a byte each with time included
  });

  test('steady counters and clocks (delta of delta is 0) cost almost nothing', () => {
    const times = Array.from({ length: 240 }, (_, i) => T0 + i * 1000);
    const uptime = times.map((_, i) => 1234.5 + i);
    const out = roundTrip(times, uptime);
    expect(out.columns).toEqual([times, uptime]);
    expect(out.bytes).toBeLessThan(40);
  });

  test('doubles that are not short decimals fall back to XOR coding, losslessly', () => {
    const random = seeded(3);
    const times = Array.from({ length: 100 }, (_, i) => T0 + i * 997 + Math.floor(random() * 5));
    const values = times.map(() => random() * 1e-3);
    const out = roundTrip(times, values);
    expect(out.columns).toEqual([times, values]);
  });

  test('special doubles survive: -0, NaN, infinities, the extremes', () => {
    const values = [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_VALUE, Number.MIN_VALUE, 1, 1, -2.5];
    const times = values.map((_, i) => i);
    const out = roundTrip(times, values);
    expect(same(out.columns[1]!, values)).toBe(true);
  });

  test('integers beyond 2^50 and negative values round-trip', () => {
    const values = [2 ** 52, 2 ** 52 + 2, -(2 ** 51), 3, -7, 2 ** 53 - 1];
    const out = roundTrip(values.map((_, i) => i), values);
    expect(out.columns[1]).toEqual(values);
  });

  test('single samples, spikes and constant columns', () => {
    expect(roundTrip([T0], [42.5]).columns).toEqual([[T0], [42.5]]);
    const spiky = [0, 0, 0, 1e12, 0, 0, -1e12, 5];
    expect(roundTrip(spiky.map((_, i) => T0 + i), spiky).columns[1]).toEqual(spiky);
    const flat = Array(500).fill(7);
    const out = roundTrip(flat.map((_, i) => T0 + i * 1000), flat);
    expect(out.columns[1]).toEqual(flat);
    expect(out.bytes).toBeLessThan(30);
  });

  test('random columns of every shape round-trip (2,000 seeded cases)', () => {
    const random = seeded(4);
    const shapes: (() => number)[] = [
      () => Math.round(random() * 1e6) / 100,
      () => Math.floor(random() * 2 ** 40) * 1024,
      () => (random() - 0.5) * 1e300,
      () => Math.round((random() - 0.5) * 1e9) / 1e9,
      () => (random() < 0.9 ? 0 : Math.floor(random() * 100)),
    ];
    for (let c = 0; c < 2000; c++) {
      const n = 1 + Math.floor(random() * 300);
      const shape = shapes[c % shapes.length]!;
      const times: number[] = [];
      let t = T0;
      for (let i = 0; i < n; i++) {
        t += 1 + Math.floor(random() * 3000);
        times.push(t);
      }
      const values = times.map(shape);
      const out = roundTrip(times, values, values.map((v) => -v));
      if (!same(out.columns[1]!, values) || !same(out.columns[0]!, times)) throw new Error(`case ${c} (shape ${c % shapes.length}, ${n} samples) did not round-trip`);
      // A column of short decimals is coded as integers, where -0 is 0.
      expect(out.columns[2]!.every((v, i) => v === -values[i]!)).toBe(true);
    }
  });

  test('a damaged chunk is refused with an error, never read as numbers', () => {
    const encoded = encodeChunk([Float64Array.from([T0, T0 + 1000]), Float64Array.from([1.5, 2.5])], 2);
    expect(() => decodeChunk(encoded.subarray(0, 2))).toThrow(/corrupt chunk/);
    const wrongFormat = Uint8Array.from(encoded);
    wrongFormat[0] = 99;
    expect(() => decodeChunk(wrongFormat)).toThrow(/unknown chunk format 99/);
    expect(() => decodeChunk(encoded.subarray(0, encoded.length - 2))).toThrow();
  });
});
