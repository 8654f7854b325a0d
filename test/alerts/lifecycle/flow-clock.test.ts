// Run time, and telling a sleep, a clock jump and a restart from a slow evaluation.
import { describe, expect, it } from 'vitest';
import { advanceClock, type FlowClock, INITIAL_CLOCK, inWakeGrace, restoredClock } from '../../../src/core/alerts/lifecycle/flow-clock.ts';
import { T0 } from '../flow/flow-driver.ts';

const INTERVAL = 1000;

function start(): FlowClock {
  return advanceClock(INITIAL_CLOCK, T0, 500, INTERVAL).clock;
}

describe('flow clock', () => {
  it('counts run time on the monotonic clock while awake', () => {
    let clock = start();
    for (let i = 1; i <= 5; i++) clock = advanceClock(clock, T0 + i * 1000, 500 + i * 1000, INTERVAL).clock;
    expect(clock.runMs).toBe(5000);
    // An NTP slew of the wall clock by a second does not change run time.
    const slewed = advanceClock(clock, T0 + 5000, 6500, INTERVAL);
    expect(slewed.gap).toBeNull();
    expect(slewed.clock.runMs).toBe(6000);
  });

  it('lets a stalled event loop (well under 30 s) count as time, not as a sleep', () => {
    const clock = start();
    const stalled = advanceClock(clock, T0 + 12_000, 500 + 12_000, INTERVAL);
    expect(stalled.gap).toBeNull();
    expect(stalled.clock.runMs).toBe(12_000);
  });

  it('sees a sleep where the monotonic clock stopped (Linux, macOS) and where it ran on (Windows)', () => {
    for (const monoAfter of [500 + 1000, 500 + 2 * 3_600_000]) {
      const woke = advanceClock(start(), T0 + 2 * 3_600_000, monoAfter, INTERVAL);
      expect(woke.gap).toEqual({ kind: 'slept', sleptMs: 2 * 3_600_000 });
      expect(woke.clock.runMs).toBe(0);
      expect(woke.clock.wake).toEqual({ atWall: T0 + 2 * 3_600_000, sleptMs: 2 * 3_600_000, graceUntilRun: 30_000 });
      expect(inWakeGrace(woke.clock)).toBe(true);
    }
  });

  it('ends the grace after 30 s of run time (or 3 evaluations of a slow tick)', () => {
    let clock = advanceClock(start(), T0 + 3_600_000, 1500, INTERVAL).clock;
    clock = advanceClock(clock, T0 + 3_600_000 + 29_000, 1500 + 29_000, INTERVAL).clock;
    expect(inWakeGrace(clock)).toBe(true);
    clock = advanceClock(clock, T0 + 3_600_000 + 30_000, 1500 + 30_000, INTERVAL).clock;
    expect(inWakeGrace(clock)).toBe(false);
    expect(clock.wake).toBeNull();
    const slow = advanceClock(advanceClock(INITIAL_CLOCK, T0, 0, 20_000).clock, T0 + 3_600_000, 0, 20_000);
    expect(slow.clock.wake?.graceUntilRun).toBe(60_000);
    // With a 20 s tick, a gap must pass 200 s to count.
    expect(advanceClock(advanceClock(INITIAL_CLOCK, T0, 0, 20_000).clock, T0 + 150_000, 150_000, 20_000).gap).toBeNull();
  });

  it('sees the wall clock set back, without a grace period', () => {
    const back = advanceClock(start(), T0 - 3_600_000, 1500, INTERVAL);
    expect(back.gap).toEqual({ kind: 'clock-back', byMs: 3_600_000 });
    expect(back.clock.wake).toBeNull();
    expect(back.clock.runMs).toBe(0);
  });

  it('after a restore, calls a long gap a restart (no grace) and a short one ordinary time', () => {
    const saved = advanceClock(start(), T0 + 10_000, 10_500, INTERVAL).clock;
    const restored = restoredClock(JSON.parse(JSON.stringify(saved)));
    expect(restored.monoMs).toBeNull();
    const quick = advanceClock(restored, T0 + 13_000, 42, INTERVAL);
    expect(quick.gap).toBeNull();
    expect(quick.clock.runMs).toBe(13_000);
    const late = advanceClock(restored, T0 + 3_600_000, 42, INTERVAL);
    expect(late.gap).toEqual({ kind: 'restart', downMs: 3_600_000 - 10_000 });
    expect(late.clock.wake).toBeNull();
    expect(late.clock.runMs).toBe(10_000);
    expect(late.clock.restored).toBe(false);
  });
});
