// Issue 7: "a storm (500 breaches across 20 series within 10 s) yields no more notifications
// than the grouping allows". The bound, per channel and group: the first notification comes
// group_wait after the group is born, and then at most one per group_interval while it lives,
// so over a window W: 1 + floor((W - group_wait) / group_interval). With the defaults (5 s,
// 1 min) and the storm followed by 15 min of calm, one group per channel: at most 15, and the
// storm itself (its first minute) costs 1.
import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../src/shared/alerts.ts';
import { ISSUE_STORM, stormEvents, stormVerdicts } from '../../../bench/alerts-storm.ts';
import type { AlertFlowSpecInput } from '../../../src/core/alerts/config/route-config.ts';
import { FlowDriver, flowContext, T0 } from './flow-driver.ts';

const WINDOW_MS = 15 * 60_000;

/** Steps the flow at every storm event (the worst case: an evaluation per sample), then once a
 * second through the calm after it. */
function runStorm(spec: AlertFlowSpecInput) {
  const events = stormEvents();
  const flow = new FlowDriver(flowContext({ spec: { ...spec, route: { channels: ['desktop', 'slack'], ...spec.route } } }), T0);
  const times = [...new Set(events.map((e) => e.atMs))];
  for (const offset of times) {
    flow.now = T0 + offset;
    flow.mono = 1000 + offset;
    flow.step({ verdicts: stormVerdicts(events, offset) });
  }
  flow.run(WINDOW_MS - times.at(-1)!, (now) => stormVerdicts(events, now - T0), 1000);
  return { flow, events };
}

const offsets = (list: AlertNotification[]) => list.map((n) => Date.parse(n.createdAt) - T0);

describe('an alert storm', () => {
  it('is as large as the issue says', () => {
    const events = stormEvents();
    expect(events.filter((e) => e.active)).toHaveLength(500);
    expect(new Set(events.map((e) => e.series)).size).toBe(20);
    expect(Math.max(...events.filter((e) => e.active).map((e) => e.atMs))).toBeLessThan(10_000);
  });

  it('yields no more notifications than the grouping allows', () => {
    const { flow } = runStorm({});
    const { groupWaitMs, groupIntervalMs } = flow.context.config.route;
    const bound = 1 + Math.floor((WINDOW_MS - groupWaitMs) / groupIntervalMs);
    for (const channel of ['desktop', 'slack']) {
      const sent = flow.sentTo(channel);
      const at = offsets(sent);
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.length).toBeLessThanOrEqual(bound);
      // The first notice: group_wait after the first breach, carrying what fired meanwhile.
      expect(at[0]).toBe(groupWaitMs);
      expect(sent[0]!.alerts.length).toBeGreaterThan(5);
      // Then one per group_interval at most.
      for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(groupIntervalMs);
      expect(sent.filter((n) => at[sent.indexOf(n)]! < 60_000)).toHaveLength(1);
    }
    // Every series' alert ends resolved and closed on both channels: nothing left open.
    expect(flow.state.lifecycle.open).toEqual({});
    expect(flow.state.dispatch.groups).toEqual({});
    console.log(`storm: ${flow.sentTo('desktop').length} notifications per channel (bound ${bound}) at ${offsets(flow.sentTo('desktop')).map((ms) => `${ms / 1000}s`).join(', ')}`);
  });

  it('would flood without grouping: the test tells the two apart', () => {
    const grouped = runStorm({}).flow.sentTo('desktop').length;
    const ungrouped = runStorm({ route: { group_by: ['...'], group_wait: 0 } }).flow.sentTo('desktop').length;
    expect(ungrouped).toBeGreaterThanOrEqual(ISSUE_STORM.series);
    expect(ungrouped).toBeGreaterThan(3 * grouped);
  });
});
