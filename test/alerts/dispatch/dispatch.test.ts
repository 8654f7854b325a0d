// Alerts -> notifications: routing and severity filters, grouping with group_wait and
// group_interval, repeats, resolves to the channels that saw the alert fire, escalation.
import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../src/shared/alerts.ts';
import { dispatchChannel } from '../../../src/core/alerts/dispatch/dispatch-channel.ts';
import { CHANNELS, FlowDriver, flowContext, T0, verdict } from '../flow/flow-driver.ts';

const down = (service: string, active = true, severity: 'warning' | 'critical' = 'critical', channels: string[] = []) =>
  verdict('service-crashed', { service }, active, { severity, channels });

const brief = (n: AlertNotification) => `${(n.createdAt && (Date.parse(n.createdAt) - T0) / 1000)}s ${n.channel} ${n.reason} ${n.alerts.map((a) => `${a.labels.service}:${a.state}`).join(',')}`;

describe('routing', () => {
  it("sends to the rule's channels, else the default route, each within its severity filter", () => {
    const flow = new FlowDriver(flowContext({ spec: { route: { channels: ['desktop', 'slack', 'pagerduty'], group_wait: 0 } } }));
    flow.run(1000, [
      verdict('tunnel-url-changed', { tunnel: 'api' }, true, { severity: 'info' }),
      verdict('cpu-high', { service: 'server' }, true, { severity: 'warning' }),
      verdict('service-crashed', { service: 'runner' }, true, { severity: 'critical' }),
      verdict('disk-full', { mount: '/' }, true, { severity: 'critical', channels: ['slack'] }),
    ]);
    const to = (rule: string) => flow.notifications.filter((n) => n.alerts.some((a) => a.rule === rule)).map((n) => n.channel).sort();
    expect(to('tunnel-url-changed')).toEqual(['desktop']);
    expect(to('cpu-high')).toEqual(['desktop', 'slack']);
    expect(to('service-crashed')).toEqual(['desktop', 'pagerduty', 'slack']);
    expect(to('disk-full')).toEqual(['slack']);
  });

  it('ignores a channel the stack does not have (the loader reports it)', () => {
    const flow = new FlowDriver(flowContext({ spec: { route: { channels: ['desktop', 'gone'], group_wait: 0 } } }));
    expect(flow.run(1000, [down('server')]).map((n) => n.channel)).toEqual(['desktop']);
  });
});

describe('grouping', () => {
  it('waits group_wait for the first notice, batches what arrives meanwhile, then tells of newcomers once per group_interval', () => {
    const flow = new FlowDriver();
    const downSince: Record<string, number> = { server: T0 + 1000, runner: T0 + 3000, web: T0 + 20_000, worker: T0 + 30_000 };
    flow.run(130_000, (now) => Object.entries(downSince).map(([service, since]) => down(service, now >= since)));
    expect(flow.notifications.map(brief)).toEqual([
      '6s desktop firing server:firing,runner:firing',
      '66s desktop firing server:firing,runner:firing,web:firing,worker:firing',
    ]);
    expect(flow.notifications[0]!.groupKey).toBe('alertname=service-crashed');
  });

  it('makes one group per value of each group_by label', () => {
    const flow = new FlowDriver(flowContext({ spec: { route: { group_by: ['alertname', 'service'] } } }));
    flow.run(10_000, [down('server'), down('runner'), verdict('cpu-high', { service: 'server' }, true)]);
    expect(flow.notifications.map((n) => n.groupKey).sort()).toEqual(['alertname=cpu-high,service=server', 'alertname=service-crashed,service=runner', 'alertname=service-crashed,service=server']);
  });

  it('sends nothing for an alert that fired and resolved within group_wait', () => {
    const flow = new FlowDriver();
    flow.run(60_000, (now) => [down('server', now < T0 + 3000)]);
    expect(flow.notifications).toEqual([]);
    expect(flow.state.dispatch.groups).toEqual({});
  });

  it('starts a new group, with group_wait again, after all its alerts resolved and were told so', () => {
    const flow = new FlowDriver();
    flow.run(200_000, (now) => [down('server', now < T0 + 10_000 || now >= T0 + 150_000)]);
    expect(flow.notifications.map(brief)).toEqual(['6s desktop firing server:firing', '66s desktop resolved server:resolved', '155s desktop firing server:firing']);
  });
});

describe('resolves', () => {
  it('go only to channels that saw the alert fire and want them', () => {
    const quietSlack = { ...dispatchChannel('slack', 'slack'), sendResolved: false };
    const flow = new FlowDriver(flowContext({ channels: [CHANNELS[0]!, quietSlack, CHANNELS[2]!], spec: { route: { channels: ['desktop', 'slack', 'pagerduty'] } } }));
    flow.run(120_000, (now) => [down('server', now < T0 + 30_000, 'warning')]);
    expect(flow.notifications.map(brief)).toEqual(['6s desktop firing server:firing', '6s slack firing server:firing', '66s desktop resolved server:resolved']);
    expect(flow.state.dispatch.groups).toEqual({});
  });
});

describe('repeats', () => {
  it('repeat a still firing alert at the first flush after repeat_interval, and not once it is acknowledged', () => {
    const flow = new FlowDriver(flowContext({ spec: { route: { repeat_interval: '10m' } } }));
    flow.run(25 * 60_000, [down('server')], 5000);
    expect(flow.notifications.map(brief)).toEqual(['10s desktop firing server:firing', '610s desktop repeat server:firing', '1210s desktop repeat server:firing']);
    flow.tick(1000);
    flow.step({ verdicts: [down('server')], acks: [{ id: flow.alert('service-crashed')!.id, by: 'cli' }] });
    expect(flow.run(60 * 60_000, [down('server')], 5000)).toEqual([]);
  });
});

describe('escalation', () => {
  const context = () => flowContext({ spec: { route: { escalation: { after: '15m', to: ['pagerduty'] } } } });

  it('sends a critical alert unacknowledged for 15 min to PagerDuty too, and its resolve later', () => {
    const flow = new FlowDriver(context());
    flow.run(17 * 60_000, [down('server'), down('runner', true, 'warning')], 5000);
    const paged = flow.sentTo('pagerduty');
    expect(paged.map(brief)).toEqual(['910s pagerduty escalation server:firing']);
    flow.run(3 * 60_000, [down('server', false), down('runner', true, 'warning')], 5000);
    // Escalated at 905 s (15 min of run time after it fired at 5 s), sent after PagerDuty's
    // group_wait; the resolve at the group's next flush after the condition cleared.
    expect(flow.sentTo('pagerduty').map(brief).at(-1)).toBe('1030s pagerduty resolved server:resolved');
  });

  it('does not escalate an acknowledged alert, nor a silenced one', () => {
    const acked = new FlowDriver(context());
    acked.run(5000, [down('server')]);
    acked.step({ verdicts: [down('server')], acks: [{ id: acked.alert('service-crashed')!.id, by: 'dashboard' }] });
    acked.run(30 * 60_000, [down('server')], 5000);
    expect(acked.sentTo('pagerduty')).toEqual([]);

    const silenced = new FlowDriver(context());
    silenced.step({ silenceOps: [{ op: 'add', matcher: { service: 'server' }, durationMs: 3_600_000, createdBy: 'cli' }] });
    silenced.run(30 * 60_000, [down('server')], 5000);
    expect(silenced.notifications).toEqual([]);
  });

  it('tells PagerDuty when an escalated alert is acknowledged (its incident is acknowledged), and the desktop not', () => {
    const flow = new FlowDriver(context());
    flow.run(16 * 60_000, [down('server')], 5000);
    flow.tick(1000);
    const sent = flow.step({ verdicts: [down('server')], acks: [{ id: flow.alert('service-crashed')!.id, by: 'dashboard' }] });
    expect(sent.map((n) => `${n.channel} ${n.reason}`)).toEqual(['pagerduty acknowledged']);
    expect(sent[0]!.alerts[0]!.acknowledged).toMatchObject({ by: 'dashboard' });
  });
});

describe('severity', () => {
  it('tells again when a firing alert becomes more severe (at the next flush), and at once a channel that only takes the higher severity (a new group there)', () => {
    const flow = new FlowDriver(flowContext({ spec: { route: { channels: ['desktop', 'pagerduty'] } } }));
    flow.run(120_000, (now) => [verdict('cpu-high', { service: 'server' }, true, { severity: now < T0 + 30_000 ? 'warning' : 'critical' })]);
    expect(flow.notifications.map((n) => `${(Date.parse(n.createdAt) - T0) / 1000}s ${n.channel} ${n.reason} ${n.alerts[0]!.severity}`)).toEqual([
      '6s desktop firing warning',
      '35s pagerduty firing critical',
      '66s desktop firing critical',
    ]);
  });
});
