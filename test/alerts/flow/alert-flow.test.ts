// Whole scenarios through the flow's one step function, lifecycle -> silences -> inhibit ->
// dispatch, as the subsystem will drive it: an evaluation a second, time as input.
import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../src/shared/alerts.ts';
import { stackDependencyGraph } from '../../../src/core/alerts/inhibit/dependency-graph.ts';
import { MACHINE_SLEPT_RULE } from '../../../src/core/alerts/lifecycle/machine-slept.ts';
import { restoreFlowState, serializeFlowState } from '../../../src/core/alerts/flow/flow-state.ts';
import { FlowDriver, flowContext, T0, verdict } from './flow-driver.ts';

const down = (service: string, active = true, severity: 'warning' | 'critical' = 'critical') => verdict('service-crashed', { service }, active, { severity });
const tunnelDown = (tunnel: string, active = true) => verdict('tunnel-down', { tunnel }, active, { severity: 'critical' });
const at = (n: AlertNotification) => (Date.parse(n.createdAt) - T0) / 1000;
const brief = (n: AlertNotification) => `${at(n)}s ${n.channel} ${n.reason} ${n.alerts.map((a) => `${a.labels.service ?? a.labels.tunnel}:${a.state}`).join(',')}`;

describe('the alert flow', () => {
  it('makes one notification of five services going down within the group window', () => {
    const flow = new FlowDriver();
    const services = ['server', 'runner', 'web', 'worker', 'db'];
    // One more service goes down every 800 ms.
    flow.run(60_000, (now) => services.map((s, i) => down(s, now - T0 >= 1000 + i * 800)), 200);
    expect(flow.notifications).toHaveLength(1);
    expect(flow.notifications[0]!.alerts.map((a) => a.labels.service)).toEqual(services);
    expect(at(flow.notifications[0]!)).toBe(6); // the first went down at 1 s; group_wait 5 s
  });

  describe('inhibition', () => {
    const graph = stackDependencyGraph({
      services: [{ name: 'server', port: 5555 }, { name: 'runner', port: 5051, dependsOn: ['server'] }],
      tunnels: [{ name: 'api', expect: [5555] }],
    });

    it('lets the root cause notify and mutes its consequences, even those detected first; they stay listed', () => {
      const flow = new FlowDriver(flowContext({ graph }));
      // The tunnel's probe notices before the server's crash is reported; the runner's health
      // check fails a moment later.
      flow.run(30_000, (now) => [tunnelDown('api', now >= T0 + 1000), down('server', now >= T0 + 2000), verdict('service-unhealthy', { service: 'runner' }, now >= T0 + 4000, { severity: 'critical' })]);
      expect(flow.notifications.map(brief)).toEqual(['7s desktop firing server:firing']);
      const server = flow.alert('service-crashed')!;
      expect(flow.alert('tunnel-down')).toMatchObject({ state: 'firing', inhibitedBy: server.fingerprint });
      expect(flow.alert('service-unhealthy')).toMatchObject({ state: 'firing', inhibitedBy: server.fingerprint });
      expect(flow.changes.filter((c) => c.kind === 'inhibited').map((c) => 'alert' in c && c.alert.rule)).toEqual(['tunnel-down', 'service-unhealthy']);
    });

    it('lets a consequence notify once its root cause is gone and it is still down', () => {
      const flow = new FlowDriver(flowContext({ graph }));
      flow.run(30_000, (now) => [down('server', now < T0 + 20_000), verdict('service-unhealthy', { service: 'runner' }, true, { severity: 'critical' })]);
      flow.run(60_000, [down('server', false), verdict('service-unhealthy', { service: 'runner' }, true, { severity: 'critical' })]);
      expect(flow.notifications.map((n) => `${at(n)}s ${n.reason} ${n.alerts.map((a) => `${a.rule}:${a.state}`).join(',')}`)).toEqual([
        '6s firing service-crashed:firing',
        // The runner's alert (a group of its own) may notify from 20 s on: group_wait later.
        '25s firing service-unhealthy:firing',
        '66s resolved service-crashed:resolved',
      ]);
    });
  });

  it('stops repeats and escalation once acknowledged, and still sends the resolve', () => {
    const flow = new FlowDriver(flowContext({ spec: { route: { repeat_interval: '5m', escalation: { after: '10m', to: ['pagerduty'] } } } }));
    flow.run(60_000, [down('server')], 5000);
    flow.tick(1000);
    flow.step({ verdicts: [down('server')], acks: [{ id: flow.alert('service-crashed')!.id, by: 'tray' }] });
    flow.run(60 * 60_000, [down('server')], 5000);
    flow.run(2 * 60_000, [down('server', false)], 5000);
    expect(flow.notifications.map(brief)).toEqual(['10s desktop firing server:firing', '3671s desktop resolved server:resolved']);
    expect(flow.notifications[1]!.alerts[0]!.acknowledged).toMatchObject({ by: 'tray' });
  });

  it('makes a re-fire after a resolve a new occurrence: new id, unacknowledged, notified again', () => {
    const flow = new FlowDriver();
    flow.run(10_000, [down('server')]);
    const first = flow.alert('service-crashed')!;
    flow.tick(1000);
    flow.step({ verdicts: [down('server')], acks: [{ id: first.id, by: 'cli' }] });
    flow.run(60_000, [down('server', false)]);
    flow.run(60_000, [down('server')]);
    const second = flow.alert('service-crashed')!;
    expect(second.id).not.toBe(first.id);
    expect(second).toMatchObject({ state: 'firing', acknowledged: null, fingerprint: first.fingerprint });
    expect(flow.notifications.map((n) => `${n.reason} ${n.alerts.map((a) => (a.id === first.id ? 'first' : 'second')).join()}`)).toEqual(['firing first', 'resolved first', 'firing second']);
  });

  describe('silences', () => {
    it('close a silenced alert on the channels that saw it fire', () => {
      const flow = new FlowDriver();
      flow.run(10_000, [down('server')]);
      flow.tick(1000);
      flow.step({ verdicts: [down('server')], silenceOps: [{ op: 'add', matcher: { service: 'server' }, durationMs: 3_600_000, createdBy: 'cli' }] });
      expect(flow.alert('service-crashed')!.silencedBy).toHaveLength(1);
      flow.run(10 * 60_000, [down('server')]); // no repeat, no escalation while silenced
      flow.run(2 * 60_000, [down('server', false)]);
      expect(flow.notifications.map(brief)).toEqual(['6s desktop firing server:firing', '666s desktop resolved server:resolved']);
    });

    it('send nothing for an alert that fires and resolves within a silence, and notify one still firing when the silence ends', () => {
      const flow = new FlowDriver();
      flow.step({ silenceOps: [{ op: 'add', matcher: { rule: 'service-crashed' }, durationMs: 10 * 60_000, createdBy: 'cli' }] });
      flow.run(9 * 60_000, (now) => [down('runner', now < T0 + 120_000), down('server')]);
      expect(flow.notifications).toEqual([]);
      flow.run(3 * 60_000, [down('runner', false), down('server')]);
      expect(flow.notifications.map(brief)).toEqual(['605s desktop firing server:firing']);
      expect(flow.changes.filter((c) => c.kind === 'silence-expired')).toHaveLength(1);
      expect(flow.alert('service-crashed', { service: 'server' })!.silencedBy).toEqual([]);
    });
  });

  it('lets only critical alerts through in quiet hours, and the rest once they end', () => {
    // Quiet from 22:00 to 08:00 UTC; start at 21:59:00.
    const flow = new FlowDriver(flowContext({ spec: { quiet_hours: { from: '22:00', to: '08:00' } } }), Date.UTC(2026, 2, 2, 21, 59, 0));
    const start = flow.now;
    flow.run(3 * 60_000, (now) => [down('server', now >= start + 90_000, 'warning'), down('db', now >= start + 100_000, 'critical'), down('runner', now >= start + 110_000 && now < start + 3_600_000, 'warning')], 5000);
    flow.run(10 * 3_600_000, (now) => [down('server', true, 'warning'), down('db', true, 'critical'), down('runner', now < start + 3_600_000, 'warning')], 5000);
    const sent = flow.notifications.map((n) => `${new Date(n.createdAt).toISOString().slice(11, 19)} ${n.reason} ${n.alerts.map((a) => `${a.labels.service}:${a.state}`).join(',')}`);
    // The runner fired and resolved within quiet hours: nothing about it. The db's critical
    // goes at once (group_wait after it) and repeats every 4 h; the server's warning waits for
    // 08:00, then for the group's next flush.
    expect(sent).toEqual(['22:00:45 firing db:firing', '02:00:45 repeat db:firing', '06:00:45 repeat db:firing', '08:00:45 firing db:firing,server:firing']);
  });

  it('holds every notification while paused, and sends what still fires when the pause ends', () => {
    const flow = new FlowDriver();
    flow.step({ silenceOps: [{ op: 'pause', until: T0 + 3_600_000 }] });
    flow.run(59 * 60_000, (now) => [down('server'), down('runner', now < T0 + 30 * 60_000)], 5000);
    expect(flow.notifications).toEqual([]);
    flow.run(2 * 60_000, [down('server'), down('runner', false)], 5000);
    expect(flow.notifications.map(brief)).toEqual(['3605s desktop firing server:firing']);
    expect(flow.changes.filter((c) => c.kind === 'paused' || c.kind === 'resumed').map((c) => c.kind)).toEqual(['paused', 'resumed']);
  });

  describe('sleep and wake', () => {
    it('raises nothing for the time asleep, does not judge the first samples after wake, and resumes after the grace', () => {
      const flow = new FlowDriver(flowContext({ spec: { route: { repeat_interval: '1h' } } }));
      const cpu = (active: boolean) => verdict('cpu-high', { service: 'server' }, active, { forMs: 20_000 });
      flow.run(60_000, [down('server'), cpu(false)]);
      // CPU starts pending just before the lid closes.
      flow.run(10_000, [down('server'), cpu(true)]);
      expect(flow.alert('cpu-high')!.state).toBe('pending');
      const before = flow.notifications.length;
      flow.sleep(3 * 3_600_000);
      // The first samples after wake are all breaches (the CPU is busy catching up).
      flow.run(29_000, [down('server'), cpu(true)]);
      expect(flow.notifications.length).toBe(before);
      const slept = flow.alert(MACHINE_SLEPT_RULE)!;
      expect(slept).toMatchObject({ state: 'firing', severity: 'info', summary: 'The computer slept for 3h; alerts are judged again 30s after it woke.' });
      expect(flow.alert('cpu-high')?.state).toBe(undefined); // the pending alert was reset, the new breaches not judged
      expect(flow.alert('service-crashed')).toMatchObject({ state: 'firing', inhibitedBy: slept.fingerprint });
      flow.run(60_000, [down('server'), cpu(true)]);
      expect(flow.alert(MACHINE_SLEPT_RULE)!.state).toBe('resolved');
      expect(flow.alert('service-crashed')!.inhibitedBy).toBeNull();
      // After the grace the CPU breach is judged afresh: pending 20 s, then firing, notified.
      // The crash's repeat does not come due for the 3 h asleep: 1 h of run time is not over.
      expect(flow.notifications.slice(before).map((n) => `${n.reason} ${n.alerts.map((a) => a.rule).join(',')}`)).toEqual(['firing cpu-high']);
      expect(flow.notifications.some((n) => n.alerts.some((a) => a.rule === MACHINE_SLEPT_RULE))).toBe(false);
    });

    it('reports the clock jump among the changes', () => {
      const flow = new FlowDriver();
      flow.run(5000);
      flow.sleep(600_000);
      flow.run(1000);
      expect(flow.changes.filter((c) => c.kind === 'clock-gap')).toEqual([{ kind: 'clock-gap', gap: { kind: 'slept', sleptMs: 601_000 } }]);
    });

    it('resets pending timers when the wall clock is set back, without a grace period', () => {
      const flow = new FlowDriver();
      const cpu = verdict('cpu-high', { service: 'server' }, true, { forMs: 20_000 });
      flow.run(15_000, [cpu]);
      flow.now -= 2 * 3_600_000;
      flow.run(15_000, [cpu]);
      expect(flow.alert('cpu-high')!.state).toBe('pending');
      flow.run(10_000, [cpu]);
      expect(flow.alert('cpu-high')!.state).toBe('firing');
    });
  });

  describe('restart', () => {
    it('keeps an alert firing before a restart the same alert after it: same id, no second notice, its resolve sent', () => {
      const flow = new FlowDriver();
      flow.run(30_000, [down('server')]);
      const before = flow.alert('service-crashed')!;
      const saved = serializeFlowState(flow.state);
      // The engine restarts 5 s later: a new process, a new monotonic clock.
      const after = new FlowDriver(flow.context, flow.now + 5000, restoreFlowState(saved));
      after.mono = 17;
      after.step({ verdicts: [down('server')] });
      after.run(60_000, [down('server')]);
      expect(after.notifications).toEqual([]);
      expect(after.alert('service-crashed')!.id).toBe(before.id);
      after.run(60_000, [down('server', false)]);
      expect(after.notifications.map((n) => `${n.reason} ${n.alerts.map((a) => a.id).join()}`)).toEqual([`resolved ${before.id}`]);
    });

    it('carries a pending `for` across a quick restart, and starts it over after a long one', () => {
      const cpu = verdict('cpu-high', { service: 'server' }, true, { forMs: 60_000 });
      const flow = new FlowDriver();
      flow.run(40_000, [cpu]);
      const quick = new FlowDriver(flow.context, flow.now + 3000, restoreFlowState(serializeFlowState(flow.state)));
      quick.run(20_000, [cpu]);
      expect(quick.alert('cpu-high')!.state).toBe('firing');
      const late = new FlowDriver(flow.context, flow.now + 3_600_000, restoreFlowState(serializeFlowState(flow.state)));
      late.run(20_000, [cpu]);
      expect(late.alert('cpu-high')!.state).toBe('pending');
      expect(late.changes).toContainEqual({ kind: 'clock-gap', gap: { kind: 'restart', downMs: 3_601_000 } });
    });
  });

  it('says when it next has something to do', () => {
    const flow = new FlowDriver();
    flow.run(1000, [down('server')]);
    expect(flow.lastNextDueAt).toBe(flow.now + 5000); // the group's first flush
    flow.run(5000, [down('server')]);
    expect(flow.lastNextDueAt).toBe(flow.now + 60_000);
    flow.tick(1000);
    flow.step({ verdicts: [down('server')], silenceOps: [{ op: 'add', matcher: { service: 'server' }, durationMs: 10_000, createdBy: 'cli' }] });
    expect(flow.lastNextDueAt).toBe(flow.now + 10_000);
  });

  it('names the end of quiet hours as due while they hold something back', () => {
    const flow = new FlowDriver(flowContext({ spec: { quiet_hours: { from: '22:00', to: '08:00' } } }), Date.UTC(2026, 2, 2, 7, 58, 30));
    flow.run(1000);
    expect(flow.lastNextDueAt).toBe(Date.UTC(2026, 2, 2, 8, 0, 0));
  });

  it('answers bad acks and silence operations with reasons, and goes on', () => {
    const flow = new FlowDriver();
    flow.run(1000, [down('server')]);
    flow.tick(1000);
    flow.step({ verdicts: [down('server')], acks: [{ id: 'nope', by: 'cli' }], silenceOps: [{ op: 'remove', id: 'gone' }] });
    expect(flow.lastRejected.map((r) => r.reason)).toEqual(['no silence has the id "gone"', 'no alert has the id "nope"']);
    expect(flow.run(10_000, [down('server')])).toHaveLength(1);
  });
});
