// The recent samples behind the sparklines: history and ticks merged by time, buckets on a
// fixed grid, gaps shown as gaps, and a sample held only as long as sampling could be idle.
import { describe, expect, it } from 'vitest';
import { addHistory, addTick, buckets, emptyWindow, latestValue } from '../../../src/cli/top/sample-window.ts';

const T = 1_700_000_000_000; // a whole second
const keepAll = () => true;

describe('sample window', () => {
  it('one bucket per second ending now, the highest sample of each', () => {
    let w = emptyWindow(60_000, keepAll);
    for (const [dt, v] of [[-3500, 1], [-3200, 9], [-2000, 4], [-1000, 2], [0, 5]] as const) w = addTick(w, { t: T + dt, values: { cpu: v } });
    expect(buckets(w, 'cpu', T, 1000, 4, 0)).toEqual([9, 4, 2, 5]);
    // A frame drawn half a second later: the samples stay in their buckets.
    expect(buckets(w, 'cpu', T + 500, 1000, 4, 0)).toEqual([4, 2, 5, null]);
  });

  it('a second without a sample holds the one before only as long as `holdMs`, then shows a gap', () => {
    let w = emptyWindow(60_000, keepAll);
    w = addTick(w, { t: T - 10_000, values: { cpu: 3 } });
    expect(buckets(w, 'cpu', T, 1000, 12, 4000)).toEqual([null, 3, 3, 3, 3, 3, null, null, null, null, null, null]);
    expect(buckets(w, 'unknown', T, 1000, 3, 4000)).toEqual([null, null, null]);
  });

  it('history and ticks merge by time; what is older than the window is let go', () => {
    let w = emptyWindow(5000, (key) => key === 'cpu');
    w = addTick(w, { t: T - 1000, values: { cpu: 7, other: 1 } });
    w = addHistory(w, [{ series: 'cpu', tier: 'raw', step: 1000, points: [[T - 9000, 1, 1, 1], [T - 2000, 2, 2, 2], [T - 1000, 7, 7, 7]] }], T);
    expect(w.recent.get('cpu')).toEqual([{ t: T - 2000, v: 2 }, { t: T - 1000, v: 7 }]);
    expect(w.recent.has('other')).toBe(false); // not a sparkline series: only its latest value
    expect(latestValue(w, 'other', T, 5000)).toBe(1);
    expect(latestValue(w, 'other', T + 10_000, 5000)).toBeNull(); // too old to be "now"
    // A history answer that arrives after newer ticks does not make an older value the latest.
    w = addTick(w, { t: T + 1000, values: { cpu: 8 } });
    w = addHistory(w, [{ series: 'cpu', tier: 'raw', step: 1000, points: [[T - 500, 4, 4, 4]] }], T + 1000);
    expect(latestValue(w, 'cpu', T + 1000, 5000)).toBe(8);
    expect(w.recent.get('cpu')!.map((s) => s.v)).toEqual([2, 7, 4, 8]);
  });
});
