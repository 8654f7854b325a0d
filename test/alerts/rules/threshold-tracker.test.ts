// Levels with hysteresis: a value hovering at the line neither fires nor resolves every tick,
// and a short peak does not make a long warning critical.
import { describe, expect, it } from 'vitest';
import { ThresholdTracker } from '../../../src/core/alerts/rules/threshold-tracker.ts';

const cpu = () =>
  new ThresholdTracker(
    '>',
    [
      { severity: 'warning', threshold: 70, clear: 65 },
      { severity: 'critical', threshold: 90, clear: 85 },
    ],
    60_000,
  );

describe('a threshold tracker', () => {
  it('holds from the first value beyond, and reports the time it started', () => {
    const t = cpu();
    t.update(50, 0);
    expect(t.active).toBe(false);
    t.update(75, 10_000);
    expect(t.active).toBe(true);
    expect(t.activeSince).toBe(10_000);
    expect(t.level.severity).toBe('warning');
  });

  it('before `for`, lets go as soon as the value is back; after, only past the clear line', () => {
    const early = cpu();
    early.update(75, 0);
    early.update(68, 30_000); // not latched yet: below 70 is back
    expect(early.active).toBe(false);

    const late = cpu();
    late.update(75, 0);
    late.update(75, 60_000); // held for `for`: latched
    late.update(68, 70_000); // between clear (65) and threshold (70): still holds
    expect(late.active).toBe(true);
    late.update(64, 80_000);
    expect(late.active).toBe(false);
  });

  it('turns critical only once the critical level itself has held for `for`', () => {
    const t = cpu();
    t.update(75, 0);
    t.update(75, 60_000);
    t.update(95, 70_000);
    expect(t.level.severity).toBe('warning'); // the critical peak is 0 s old
    t.update(95, 130_000);
    expect(t.level.severity).toBe('critical');
    t.update(87, 140_000); // above critical's clear (85): still critical
    expect(t.level.severity).toBe('critical');
    t.update(80, 150_000);
    expect(t.level.severity).toBe('warning');
    expect(t.active).toBe(true);
  });

  it('compares downwards too', () => {
    const free = new ThresholdTracker('<', [{ severity: 'critical', threshold: 10, clear: 15 }], 0);
    free.update(12, 0);
    expect(free.active).toBe(false);
    free.update(9, 1);
    expect(free.active).toBe(true);
    free.update(12, 2); // latched at once (for 0): holds until above 15
    expect(free.active).toBe(true);
    free.update(16, 3);
    expect(free.active).toBe(false);
  });
});
