import { describe, expect, it } from 'vitest';
import { formatAvailability, formatValue } from '../../src/renderer/metrics/units.ts';

describe('chart values', () => {
  it('writes each unit short', () => {
    expect(formatValue(12.345, 'percent')).toBe('12.3 %');
    expect(formatValue(0.5, 'percent')).toBe('0.5 %');
    expect(formatValue(150.2, 'percent')).toBe('150 %');
    expect(formatValue(0, 'percent')).toBe('0 %');
    expect(formatValue(512, 'bytes')).toBe('512 B');
    expect(formatValue(48 * 1024 * 1024, 'bytes')).toBe('48 MiB');
    expect(formatValue(1.5 * 1024 ** 3, 'bytes')).toBe('1.5 GiB');
    expect(formatValue(2300, 'bytes-per-second')).toBe('2.25 KiB/s');
    expect(formatValue(1000 * 1024, 'bytes')).toBe('0.98 MiB');
    expect(formatValue(45, 'ms')).toBe('45 ms');
    expect(formatValue(1234, 'ms')).toBe('1.23 s');
  });

  it('has a dash where there is no value', () => {
    expect(formatValue(null, 'bytes')).toBe('—');
    expect(formatValue(Number.NaN, 'percent')).toBe('—');
  });

  it('writes availability without rounding a bad week up to 100 %', () => {
    expect(formatAvailability(100)).toBe('100 %');
    expect(formatAvailability(99.999)).toBe('99.99 %');
    expect(formatAvailability(97.5)).toBe('97.50 %');
    expect(formatAvailability(null)).toBe('—');
  });
});
