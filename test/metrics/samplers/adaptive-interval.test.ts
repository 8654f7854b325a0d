// Sampling slows down when nobody is looking and speeds up at once when someone is; every
// tick is stamped on the grid of its interval, so the raw series stays regular.
import { describe, expect, it } from 'vitest';
import { AlignedTicker } from '../../../src/core/metrics/samplers/aligned-ticker.ts';
import { MetricsSampler } from '../../../src/core/metrics/samplers/metrics-sampler.ts';
import type { MetricsTick } from '../../../src/shared/metrics.ts';
import { type ManualClock, manualClock } from '../../helpers/manual-clock.ts';

const START = 1_700_000_000_500; // half a second past a whole second

function sampler(clock: ManualClock) {
  const ticks: MetricsTick[] = [];
  const slowTicks: number[] = [];
  const s = new MetricsSampler({
    clock,
    // Real /proc readings would do as well; these say which pass ran at which tick.
    system: {
      description: 'marks',
      sampleFast: (_time, out) => out('fast_mark', 1, 'gauge'),
      sampleSlow: (time, out) => {
        slowTicks.push(time.t);
        out('slow_mark', 1, 'gauge');
      },
    },
    trees: { description: 'none', setServices: () => {}, sample: () => {}, pidsOf: () => [] },
    onTick: (tick) => ticks.push(tick),
  });
  return { s, ticks, slowTicks };
}

describe('the sampling interval', () => {
  it('is 10 s while nobody is looking and 1 s while someone is, switching at once both ways', async () => {
    const clock = manualClock(START);
    const { s, ticks } = sampler(clock);
    s.start();

    await clock.advanceSettled(25_000); // idle: ticks at +9.5 s and +19.5 s, on the 10 s grid
    expect(ticks.map((t) => t.t)).toEqual([1_700_000_010_000, 1_700_000_020_000]);

    // Someone opens the window 5.5 s before the next idle tick: the next tick is the next
    // whole second, not the idle one.
    expect(s.active).toBe(false);
    s.setActive(true);
    expect(s.intervalMs).toBe(1000);
    expect(s.active).toBe(true);
    await clock.advanceSettled(3000);
    expect(ticks.slice(2).map((t) => t.t)).toEqual([1_700_000_026_000, 1_700_000_027_000, 1_700_000_028_000]);

    s.setActive(false);
    await clock.advanceSettled(12_000);
    expect(ticks.slice(5).map((t) => t.t)).toEqual([1_700_000_030_000, 1_700_000_040_000]);

    s.stop();
    expect(clock.pending).toBe(0);
  });

  it('reads disks and temperatures every 10 s in both modes, on the 10 s grid', async () => {
    const clock = manualClock(START);
    const { s, ticks, slowTicks } = sampler(clock);
    s.setActive(true);
    s.start();

    await clock.advanceSettled(21_000);
    s.stop();

    expect(ticks).toHaveLength(21);
    // The first tick reads them at once (charts need not wait 10 s for disks), then on the grid.
    expect(slowTicks).toEqual([1_700_000_001_000, 1_700_000_010_000, 1_700_000_020_000]);
    expect(ticks.filter((t) => t.values.slow_mark === 1).map((t) => t.t)).toEqual(slowTicks);
    expect(ticks.every((t) => t.values.fast_mark === 1)).toBe(true);
    // latest() still has the disks between two slow ticks.
    expect(s.latest()).toMatchObject({ t: 1_700_000_021_000, values: { fast_mark: 1, slow_mark: 1 } });
  });

  it('stamps ticks with the grid time even when the timer fires late, and never repeats one', async () => {
    const stamps: number[] = [];
    let now = 10_250;
    let pending: (() => void) | null = null;
    const clock = {
      now: () => now,
      setTimeout: (fn: () => void) => {
        pending = fn;
        return 1;
      },
      clearTimeout: () => {
        pending = null;
      },
    };
    const ticker = new AlignedTicker(clock, 1000, (t) => stamps.push(t));
    ticker.start();

    now = 11_037; // the event loop was busy: 37 ms late
    pending!();
    now = 13_400; // over two seconds late: one tick, then back on the grid
    pending!();
    ticker.setInterval(10_000);
    ticker.setInterval(1000); // switching back and forth gives no tick twice
    now = 14_000;
    pending!();

    expect(stamps).toEqual([11_000, 12_000, 14_000]);
  });
});
