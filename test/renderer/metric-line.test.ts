import { describe, expect, it } from 'vitest';
import type { MetricPoint, MetricsQueryResult } from '../../src/shared/metrics.ts';
import {
  appendSample,
  emptyLine,
  lastValue,
  lineFromHistory,
  type MetricLine,
  pointCount,
  sumPoints,
  tickValue,
  trimLine,
  typicalSpacing,
} from '../../src/renderer/metrics/metric-line.ts';

const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const MIN = 60_000;

function raw(series: string, times: number[], value = (i: number) => i): MetricsQueryResult {
  return { series, tier: 'raw', step: 1000, points: times.map((t, i): MetricPoint => [t, value(i), value(i), value(i)]) };
}

const seconds = (from: number, n: number, every = 1000) => Array.from({ length: n }, (_, i) => from + i * every);
const xs = (line: MetricLine) => line.points.map((p) => p.x);
const ys = (line: MetricLine) => line.points.map((p) => p.y);

describe('a chart line from history', () => {
  it('takes the points as they are when they come at a steady pace', () => {
    const line = lineFromHistory([raw('cpu', seconds(T0, 5))], 1000);
    expect(xs(line)).toEqual(seconds(T0, 5));
    expect(ys(line)).toEqual([0, 1, 2, 3, 4]);
    expect(pointCount(line)).toBe(5);
    expect(lastValue(line)).toBe(4);
  });

  it('breaks the line at a 2-hour hole instead of bridging it', () => {
    const before = seconds(T0, 3);
    const after = seconds(T0 + 120 * MIN, 3);
    const line = lineFromHistory([raw('cpu', [...before, ...after])], 1000);
    expect(ys(line)).toEqual([0, 1, 2, null, 3, 4, 5]);
    const gap = line.points[3]!;
    expect(gap.x).toBeGreaterThan(before.at(-1)!);
    expect(gap.x).toBeLessThan(after[0]!);
    expect(pointCount(line)).toBe(6);
  });

  it('keeps one line through idle sampling (every 10 s) and through the 1 s pace', () => {
    const idle = seconds(T0, 10, 10_000);
    const active = seconds(idle.at(-1)! + 1000, 30);
    const line = lineFromHistory([raw('cpu', [...idle, ...active])], 1000);
    expect(ys(line)).not.toContain(null);
  });

  it('judges gaps by the usual spacing of series written seldom (a tunnel probe each minute)', () => {
    const line = lineFromHistory([raw('probe', seconds(T0, 10, MIN))], 1000);
    expect(ys(line)).not.toContain(null);
    const holed = lineFromHistory([raw('probe', [...seconds(T0, 5, MIN), ...seconds(T0 + 30 * MIN, 5, MIN)])], 1000);
    expect(ys(holed).filter((y) => y === null)).toHaveLength(1);
  });

  it('adds up several series where their times meet (traffic over every interface)', () => {
    expect(
      sumPoints([
        [
          [T0, 1, 1, 1],
          [T0 + 1000, 2, 2, 2],
        ],
        [
          [T0, 10, 10, 10],
          [T0 + 2000, 30, 30, 30],
        ],
      ]),
    ).toEqual([
      { t: T0, value: 11 },
      { t: T0 + 1000, value: 2 },
      { t: T0 + 2000, value: 30 },
    ]);
    const line = lineFromHistory([raw('rx{interface="eth0"}', seconds(T0, 3)), raw('rx{interface="wlan0"}', seconds(T0, 3), () => 100)], 1000);
    expect(ys(line)).toEqual([100, 101, 102]);
  });

  it('has no points, and no last value, when the history is empty', () => {
    const line = lineFromHistory([{ series: 'cpu', tier: 'raw', step: 1000, points: [] }], 1000);
    expect(line.points).toEqual([]);
    expect(lastValue(line)).toBeNull();
    expect(pointCount(line)).toBe(0);
  });

  it('folds live samples by the rollup step when the store answered with a coarser one', () => {
    const minutes: MetricsQueryResult = { series: 'cpu', tier: 'minute', step: MIN, points: [[T0, 5, 1, 9]] };
    expect(lineFromHistory([minutes], 1000).step).toBe(MIN);
    expect(lineFromHistory([minutes], 10 * MIN).step).toBe(10 * MIN);
  });
});

describe('live samples on a chart line', () => {
  const WINDOW = 15 * MIN;

  it('appends a sample per second after the history, without changing the line it came from', () => {
    const line = lineFromHistory([raw('cpu', seconds(T0, 3))], 1000);
    const next = appendSample(line, T0 + 3000, 42, WINDOW);
    expect(ys(next)).toEqual([0, 1, 2, 42]);
    expect(ys(line)).toEqual([0, 1, 2]);
    expect(lastValue(next)).toBe(42);
  });

  it('ignores a sample the history already had (the tick crossed the query)', () => {
    const line = lineFromHistory([raw('cpu', seconds(T0, 3))], 1000);
    expect(ys(appendSample(line, T0 + 1000, 99, WINDOW))).toEqual([0, 1, 2]);
    // the newest one again: averaged with itself, so the same value
    expect(ys(appendSample(line, T0 + 2000, 2, WINDOW))).toEqual([0, 1, 2]);
  });

  it('averages samples into the newest point while they fall into its step (a 24 h chart at 1 min)', () => {
    let line = emptyLine(MIN);
    line = appendSample(line, T0 + 1000, 10, WINDOW);
    line = appendSample(line, T0 + 2000, 20, WINDOW);
    line = appendSample(line, T0 + 3000, 30, WINDOW);
    expect(line.points).toEqual([{ x: T0, y: 20 }]);
    line = appendSample(line, T0 + MIN + 500, 7, WINDOW);
    expect(line.points).toEqual([
      { x: T0, y: 20 },
      { x: T0 + MIN, y: 7 },
    ]);
  });

  it('puts a gap before a sample that comes long after the last one (a disconnection)', () => {
    const line = lineFromHistory([raw('cpu', seconds(T0, 3))], 1000);
    const late = appendSample(line, T0 + 10 * MIN, 5, WINDOW);
    expect(ys(late)).toEqual([0, 1, 2, null, 5]);
  });

  it('drops the points that left the window, and a gap left at its front', () => {
    let line = lineFromHistory([raw('cpu', [...seconds(T0, 5), T0 + WINDOW])], 1000);
    expect(ys(line)).toEqual([0, 1, 2, 3, 4, null, 5]);
    line = appendSample(line, T0 + WINDOW + 2500, 9, WINDOW);
    expect(ys(line)).toEqual([3, 4, null, 5, 9]);
    line = appendSample(line, T0 + WINDOW + 4500, 8, WINDOW);
    expect(ys(line)).toEqual([5, 9, 8]);
    expect(line.points[0]!.y).not.toBeNull();
  });

  it('trims without a sample when the window moved on', () => {
    const line = lineFromHistory([raw('cpu', seconds(T0, 5))], 1000);
    expect(ys(trimLine(line, T0 + 3000))).toEqual([3, 4]);
    expect(trimLine(line, T0)).toBe(line);
  });

  it('ignores values that are not numbers', () => {
    const line = emptyLine(1000);
    expect(appendSample(line, T0, Number.NaN, WINDOW)).toBe(line);
  });

  it('stays as long as the window over an hour of samples, one per second', () => {
    let line = emptyLine(1000);
    for (let i = 0; i < 3600; i++) line = appendSample(line, T0 + i * 1000, i, WINDOW);
    expect(pointCount(line)).toBe(WINDOW / 1000 + 1);
    expect(line.points[0]!.x).toBe(T0 + 3599_000 - WINDOW);
  });
});

describe('the value of a line in a tick', () => {
  it('adds up its series, and is null when the tick has none of them', () => {
    const values = { 'rx{interface="eth0"}': 100, 'rx{interface="wlan0"}': 5, cpu: 3 };
    expect(tickValue(values, ['rx{interface="eth0"}', 'rx{interface="wlan0"}'])).toBe(105);
    expect(tickValue(values, ['cpu'])).toBe(3);
    expect(tickValue(values, ['service_cpu_percent{service="gone"}'])).toBeNull();
  });
});

describe('typical spacing', () => {
  it('is the median distance between neighbours', () => {
    expect(typicalSpacing([])).toBe(0);
    expect(typicalSpacing([5])).toBe(0);
    expect(typicalSpacing([0, 1000, 2000, 3000, 100_000])).toBe(1000);
  });
});
