// The alerts' route, quiet hours and flap settings in the stack file: defaults Alertmanager
// users recognise, and errors that point at the field and say what to write.
import { describe, expect, it } from 'vitest';
import { alertFlowSchema, DEFAULT_ALERT_FLOW_CONFIG, resolveAlertFlowConfig, unknownRouteChannels } from '../../../src/core/alerts/config/route-config.ts';

const problems = (input: unknown) => {
  const result = alertFlowSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('alert flow config', () => {
  it('has quiet, desktop-friendly defaults', () => {
    expect(DEFAULT_ALERT_FLOW_CONFIG).toEqual({
      route: { channels: ['desktop'], groupBy: ['alertname'], groupWaitMs: 5000, groupIntervalMs: 60_000, repeatIntervalMs: 4 * 3_600_000, escalation: null },
      quietHours: null,
      flap: { changes: 4, windowMs: 600_000, settleMs: 300_000 },
    });
  });

  it('reads durations written for people, quiet hours across midnight and an escalation', () => {
    const config = resolveAlertFlowConfig(
      alertFlowSchema.parse({
        route: { channels: ['desktop', 'slack'], group_by: ['alertname', 'service'], group_wait: '0s', group_interval: '2m', repeat_interval: '1h', escalation: { after: '10m', to: ['pagerduty'] } },
        quiet_hours: { from: '22:00', to: '8:30' },
        flap: { changes: 6, window: '15m', settle: '2m' },
      }),
    );
    expect(config.route).toMatchObject({ groupBy: ['alertname', 'service'], groupWaitMs: 0, groupIntervalMs: 120_000, repeatIntervalMs: 3_600_000, escalation: { afterMs: 600_000, to: ['pagerduty'], minSeverity: 'critical' } });
    expect(config.quietHours).toEqual({ fromMinute: 22 * 60, toMinute: 8 * 60 + 30, allow: 'critical' });
    expect(config.flap).toEqual({ changes: 6, windowMs: 900_000, settleMs: 120_000 });
  });

  it('names the field and what to write for bad input', () => {
    expect(problems({ route: { group_wiat: '5s' } })).toEqual(['route: unknown key "group_wiat" (did you mean "group_wait"?)']);
    expect(problems({ route: { group_interval: 0 } })).toEqual([expect.stringMatching(/^route\.group_interval: expected a duration .* above 0, got 0$/)]);
    expect(problems({ route: { repeat_interval: 'often' } })).toEqual([expect.stringMatching(/^route\.repeat_interval: expected a duration such as "500ms"/)]);
    expect(problems({ route: { group_by: ['alert-name'] } })).toEqual([expect.stringMatching(/^route\.group_by\.0: expected a label name/)]);
    expect(problems({ route: { escalation: { after: '5m' } } })).toEqual([expect.stringMatching(/^route\.escalation\.to: expected a list of channel names/)]);
    expect(problems({ route: { escalation: { to: [] } } })).toEqual(['route.escalation.to: name at least one channel to escalate to, e.g. to: [pagerduty]']);
    expect(problems({ quiet_hours: { from: '22:00', to: '25:00' } })).toEqual(['quiet_hours.to: expected a time of day such as "22:00" (24-hour HH:MM), got "25:00"']);
    expect(problems({ quiet_hours: { from: '22:00', to: '22:00' } })).toEqual([expect.stringMatching(/^quiet_hours\.to: quiet hours need `from` and `to` to differ/)]);
    expect(problems({ quiet_hours: { from: '22:00', to: '08:00', allow: 'warning' } })).toEqual(['quiet_hours.allow: expected "critical" or "none", got "warning"']);
    expect(problems({ flap: { changes: 1 } })).toEqual(['flap.changes: expected at least 2 changes, got 1']);
  });

  it('finds channels the route names that the stack does not define', () => {
    const spec = alertFlowSchema.parse({ route: { channels: ['desktop', 'slak'], escalation: { to: ['pagerduty'] } } });
    expect(unknownRouteChannels(spec, new Set(['desktop', 'slack']))).toEqual([
      { path: ['route', 'channels', 1], message: 'no channel is named "slak"; channels: desktop, slack' },
      { path: ['route', 'escalation', 'to', 0], message: 'no channel is named "pagerduty"; channels: desktop, slack' },
    ]);
  });
});
