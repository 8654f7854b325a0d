import { describe, expect, it } from 'vitest';
import { formatInstant, formatTimeTick, tickStep, timeTicks } from '../../src/renderer/charts/time-axis.ts';

const T0 = Date.UTC(2026, 0, 13, 14, 3, 27); // Tue 13 Jan 2026 14:03:27 UTC
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const utc = () => 0;
const india = () => 5.5 * HOUR;

describe('time axis ticks', () => {
  it('picks a spacing a reader counts in, with no more ticks than fit', () => {
    expect(tickStep(T0, T0 + 15 * MIN, 6)).toBe(5 * MIN);
    expect(tickStep(T0, T0 + 15 * MIN, 3)).toBe(5 * MIN);
    expect(tickStep(T0, T0 + 15 * MIN, 2)).toBe(10 * MIN);
    expect(tickStep(T0, T0 + HOUR, 8)).toBe(10 * MIN);
    expect(tickStep(T0, T0 + DAY, 8)).toBe(3 * HOUR);
    expect(tickStep(T0, T0 + 7 * DAY, 8)).toBe(DAY);
    expect(tickStep(T0, T0 + 7 * DAY, 2)).toBe(7 * DAY);
    expect(tickStep(T0, T0 + 400 * DAY, 4)).toBe(100 * DAY);
  });

  it('puts ticks on round local times inside the range', () => {
    const { step, ticks } = timeTicks(T0, T0 + 15 * MIN, 6, utc);
    expect(step).toBe(5 * MIN);
    expect(ticks.map((t) => formatTimeTick(t, step, utc))).toEqual(['14:05', '14:10', '14:15']);
    for (const t of ticks) expect(t >= T0 && t <= T0 + 15 * MIN).toBe(true);
  });

  it('rounds in the local time zone, half-hour zones included', () => {
    const { step, ticks } = timeTicks(T0, T0 + 3 * HOUR, 4, india);
    expect(step).toBe(HOUR);
    // 14:03 UTC is 19:33 in India: the hours there are 20:00, 21:00, 22:00 local
    expect(ticks.map((t) => formatTimeTick(t, step, india))).toEqual(['20:00', '21:00', '22:00']);
  });

  it('names days at midnight and for day steps, seconds for second steps', () => {
    const day = timeTicks(T0, T0 + 7 * DAY, 8, utc);
    expect(day.ticks.map((t) => formatTimeTick(t, day.step, utc))).toEqual(['Wed 14', 'Thu 15', 'Fri 16', 'Sat 17', 'Sun 18', 'Mon 19', 'Tue 20']);
    const hours = timeTicks(T0, T0 + DAY, 8, utc);
    expect(hours.ticks.map((t) => formatTimeTick(t, hours.step, utc))).toEqual(['15:00', '18:00', '21:00', 'Wed 14', '03:00', '06:00', '09:00', '12:00']);
    const secs = timeTicks(T0, T0 + MIN, 4, utc);
    expect(secs.ticks.map((t) => formatTimeTick(t, secs.step, utc))).toEqual(['14:03:30', '14:03:45', '14:04:00', '14:04:15']);
  });

  it('has no ticks for a range that is not one', () => {
    expect(timeTicks(Number.NaN, T0, 5).ticks).toEqual([]);
    expect(timeTicks(T0, T0 - 1, 5).ticks).toEqual([]);
  });

  it('writes an instant with its day', () => {
    expect(formatInstant(T0, utc)).toBe('Tue 13 14:03:27');
  });
});
