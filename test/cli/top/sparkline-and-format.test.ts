// The small pieces of `vigil top`: sparklines and their scales, bars, and the compact figures
// that keep the table's columns from moving.
import { describe, expect, it } from 'vitest';
import { availabilityPercent, compactBytes, compactDuration, compactPercent, compactRate, latency, loadAverage } from '../../../src/cli/top/format.ts';
import { meter } from '../../../src/cli/top/meter.ts';
import { rangeAround, rangeFromZero, sparkline } from '../../../src/cli/sparkline.ts';
import { sparkStepMs } from '../../../src/cli/top/service-table.ts';

describe('sparkline', () => {
  it('draws eight heights between the range ends, a gap as a space', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], { low: 0, high: 7 })).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([null, 7, null], { low: 0, high: 7 })).toBe(' █ ');
    // Out of range values stay on the scale's ends.
    expect(sparkline([-5, 50], { low: 0, high: 7 })).toBe('▁█');
    expect(sparkline([3, 3], { low: 3, high: 3 })).toBe('▁▁');
  });

  it('CPU is scaled from zero to its peak, never below the floor: an idle service stays low', () => {
    expect(rangeFromZero([0.1, 0.3, null], 5)).toEqual({ low: 0, high: 5 });
    expect(rangeFromZero([10, 80], 5)).toEqual({ low: 0, high: 80 });
    expect(sparkline([0.1, 0.3], rangeFromZero([0.1, 0.3], 5))).toBe('▁▁');
  });

  it('memory is scaled around its values: flat sits in the middle, growth climbs', () => {
    const flat = [100, 100, 100];
    expect(sparkline(flat, rangeAround(flat, 0.1))).toBe('▅▅▅');
    const leak = [100, 110, 120, 130];
    expect(sparkline(leak, rangeAround(leak, 0.1))).toBe('▁▃▆█');
    // Noise of 1 % on 100 MB is drawn small against a span of a tenth.
    const noisy = [100, 101, 100, 101];
    expect(new Set(sparkline(noisy, rangeAround(noisy, 0.1)))).toEqual(new Set(['▄', '▅']));
    expect(rangeAround([null, null], 0.1)).toEqual({ low: 0, high: 1 });
  });
});

describe('meter', () => {
  it('fills its inside in proportion, brackets included in the width', () => {
    expect(meter(50, 12)).toBe('[|||||     ]');
    expect(meter(0, 12)).toBe('[          ]');
    expect(meter(100, 12)).toBe('[||||||||||]');
    expect(meter(250, 6)).toBe('[||||]');
    expect(meter(null, 6)).toBe('[    ]');
  });
});

describe('compact figures', () => {
  it('bytes in binary units, at most five columns', () => {
    expect(compactBytes(0)).toBe('0B');
    expect(compactBytes(999)).toBe('999B');
    expect(compactBytes(1536)).toBe('1.5K');
    expect(compactBytes(150 * 1024 ** 2)).toBe('150M');
    expect(compactBytes(1023.9 * 1024 ** 2)).toBe('1.0G');
    expect(compactBytes(16 * 1024 ** 3)).toBe('16G');
    for (let b = 1; b < 2 ** 60; b *= 1.7) expect(compactBytes(b).length).toBeLessThanOrEqual(5);
    expect(compactBytes(null)).toBe('-');
    expect(compactBytes(Number.NaN)).toBe('-');
    expect(compactRate(1_200_000)).toBe('1.1M/s');
  });

  it('percentages, availability, durations, latency and load', () => {
    expect(compactPercent(0.04)).toBe('0.0');
    expect(compactPercent(42.06)).toBe('42.1');
    expect(compactPercent(250)).toBe('250');
    expect(compactPercent(null)).toBe('-');
    // Availability is rounded down: a short outage never reads 100 %.
    expect(availabilityPercent(100)).toBe('100%');
    expect(availabilityPercent(99.99)).toBe('99.9%');
    expect(availabilityPercent(12.345)).toBe('12.3%');
    expect(availabilityPercent(null)).toBe('-');
    expect(compactDuration(45_000)).toBe('45s');
    expect(compactDuration(187_000)).toBe('3m07s');
    expect(compactDuration(7_500_000)).toBe('2h05m');
    expect(compactDuration(null)).toBe('-');
    expect(latency(8.4)).toBe('8ms');
    expect(latency(1500)).toBe('1.5s');
    expect(latency(12_000)).toBe('12s');
    expect(latency(null)).toBe('-');
    expect(loadAverage(0.5)).toBe('0.50');
    expect(loadAverage(12.34)).toBe('12.3');
  });
});

describe('sparkStepMs', () => {
  it('a round step per character that spans about two minutes, never below the redraw interval', () => {
    expect(sparkStepMs(8, 1000)).toBe(15_000); // 8 × 15 s = 2 min
    expect(sparkStepMs(7, 1000)).toBe(30_000); // 17 s wanted: the next round step
    expect(sparkStepMs(24, 1000)).toBe(5000);
    expect(sparkStepMs(40, 1000)).toBe(5000);
    expect(sparkStepMs(120, 1000)).toBe(1000);
    expect(sparkStepMs(40, 10_000)).toBe(10_000); // --refresh 10
    expect(sparkStepMs(40, 7000)).toBe(10_000);
  });
});
