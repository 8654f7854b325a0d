import { describe, expect, test } from 'vitest';
import { answerStep, chooseTier, Rows, toPoints } from '../../../src/core/metrics/store/query-points.ts';
import { HOUR, MINUTE, SECOND, T0 } from './store-files.ts';

const DAY = 24 * HOUR;
const retention = { raw: DAY, minute: 30 * DAY, hour: 365 * DAY };
const raw = (t: number, v: number) => ({ t, min: v, max: v, sum: v, count: 1 });

describe('chooseTier', () => {
  test('the coarsest tier whose step is no coarser than the asked step', () => {
    const now = T0;
    expect(chooseTier(SECOND, now - HOUR, now, retention)).toBe('raw');
    expect(chooseTier(59 * SECOND, now - HOUR, now, retention)).toBe('raw');
    expect(chooseTier(MINUTE, now - DAY, now, retention)).toBe('minute');
    expect(chooseTier(5 * MINUTE, now - DAY, now, retention)).toBe('minute');
    expect(chooseTier(HOUR, now - 7 * DAY, now, retention)).toBe('hour');
  });

  test('a range older than a tier keeps is answered from the next tier that has it', () => {
    const now = T0;
    expect(chooseTier(10 * SECOND, now - 3 * DAY, now, retention)).toBe('minute');
    expect(chooseTier(MINUTE, now - 90 * DAY, now, retention)).toBe('hour');
    expect(chooseTier(SECOND, now - 2 * 365 * DAY, now, retention)).toBe('hour');
  });
});

describe('toPoints', () => {
  test('step 0 keeps each row as a point [t, avg, min, max]', () => {
    expect(toPoints(Rows.of([raw(T0, 1), raw(T0 + SECOND, 3)]), 0)).toEqual([
      [T0, 1, 1, 1],
      [T0 + SECOND, 3, 3, 3],
    ]);
  });

  test('rows merge into epoch-aligned steps: min of mins, max of maxes, average weighted by count', () => {
    const rows = Rows.of([
      { t: T0, min: 1, max: 5, sum: 30, count: 10 }, // avg 3 over 10 samples
      { t: T0 + MINUTE, min: 0, max: 9, sum: 90, count: 10 }, // avg 9
      { t: T0 + 2 * MINUTE, min: 2, max: 2, sum: 2, count: 1 },
    ]);
    expect(toPoints(rows, 2 * MINUTE)).toEqual([
      [T0, 6, 0, 9],
      [T0 + 2 * MINUTE, 2, 2, 2],
    ]);
  });
});

describe('answerStep', () => {
  const everySecond = Rows.of(Array.from({ length: 10 }, (_, i) => raw(T0 + i * SECOND, i)));

  test('raw samples come as they are while the asked step is no coarser than they come', () => {
    expect(answerStep('raw', SECOND, everySecond)).toEqual({ step: SECOND, merge: false });
    expect(answerStep('raw', 1, everySecond)).toEqual({ step: SECOND, merge: false });
  });

  test('raw samples merge when the asked step is coarser', () => {
    expect(answerStep('raw', 5 * SECOND, everySecond)).toEqual({ step: 5 * SECOND, merge: true });
  });

  test("a rollup tier answers at its own step, or at whole multiples of it", () => {
    expect(answerStep('minute', MINUTE, new Rows())).toEqual({ step: MINUTE, merge: false });
    expect(answerStep('minute', 90 * SECOND, new Rows())).toEqual({ step: 2 * MINUTE, merge: true });
    expect(answerStep('hour', 6 * HOUR, new Rows())).toEqual({ step: 6 * HOUR, merge: true });
  });
});
