import { describe, expect, it } from 'vitest';
import { byteTicks, niceStep } from '../../src/renderer/charts/value-axis.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

describe('byte axis ticks', () => {
  it('rounds steps to 1, 2, 2.5, 5 times a power of ten', () => {
    expect([0.7, 1, 1.3, 2.2, 3, 7, 12, 4000].map(niceStep)).toEqual([1, 1, 2, 2.5, 5, 10, 20, 5000]);
    expect(niceStep(0)).toBe(1);
  });

  it('puts ticks on round MiB and KiB, reaching past the highest value', () => {
    expect(byteTicks(95.4 * MiB, 4)).toEqual([0, 25, 50, 75, 100].map((n) => n * MiB));
    expect(byteTicks(391 * KiB, 4)).toEqual([0, 100, 200, 300, 400].map((n) => n * KiB));
    expect(byteTicks(400 * KiB, 4)).toEqual([0, 100, 200, 300, 400].map((n) => n * KiB));
    expect(byteTicks(900, 4)).toEqual([0, 250, 500, 750, 1000]);
    // 1000 KiB and more is written in MiB: the ticks are on round MiB fractions.
    expect(byteTicks(1000 * KiB, 4)).toEqual([0, 0.25, 0.5, 0.75, 1].map((n) => n * MiB));
  });

  it('has one tick for an axis with nothing on it', () => {
    expect(byteTicks(0, 4)).toEqual([0]);
    expect(byteTicks(Number.NaN, 4)).toEqual([0]);
  });
});
