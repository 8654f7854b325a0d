// The flow's state survives being saved and read back, and a damaged save is refused with a
// reason rather than trusted.
import { describe, expect, it } from 'vitest';
import { findAlert, flowSnapshot } from '../../../src/core/alerts/flow/flow-snapshot.ts';
import { initialFlowState, restoreFlowState, serializeFlowState } from '../../../src/core/alerts/flow/flow-state.ts';
import { FlowDriver, flowContext, T0, verdict } from './flow-driver.ts';

function busyState() {
  const flow = new FlowDriver(flowContext({ spec: { route: { escalation: { after: '1m', to: ['pagerduty'] } } } }));
  flow.step({ silenceOps: [{ op: 'add', matcher: { service: 'web' }, durationMs: 3_600_000, createdBy: 'cli' }, { op: 'pause', until: T0 + 60_000 }] });
  flow.run(120_000, (now) => [
    verdict('service-crashed', { service: 'server' }, true, { severity: 'critical' }),
    verdict('cpu-high', { service: 'web' }, true, { forMs: 10_000 }),
    verdict('rss-high', { service: 'runner' }, now < T0 + 90_000),
    verdict('disk-full', { mount: '/' }, true, { forMs: 600_000 }),
  ]);
  return flow;
}

describe('flow state', () => {
  it('reads back what it saved, as JSON, with only the monotonic reading dropped', () => {
    const { state } = busyState();
    expect(Object.keys(state.dispatch.groups).length).toBeGreaterThan(0);
    expect(Object.keys(state.dispatch.escalated)).toHaveLength(1);
    const restored = restoreFlowState(serializeFlowState(state));
    expect(restored).toEqual({ ...state, clock: { ...state.clock, monoMs: null, restored: true } });
    expect(restoreFlowState(JSON.parse(serializeFlowState(state)))).toEqual(restored);
    expect(restoreFlowState(serializeFlowState(initialFlowState())).lifecycle).toEqual(initialFlowState().lifecycle);
  });

  it('refuses a save that is not JSON, of another version, or damaged, saying where', () => {
    const saved = JSON.parse(serializeFlowState(busyState().state));
    expect(() => restoreFlowState('{"version":1,')).toThrow(/^the saved alert state is not JSON: /);
    expect(() => restoreFlowState({ ...saved, version: 2 })).toThrow('the saved alert state has version 2; this Vigil reads version 1');
    expect(() => restoreFlowState(null)).toThrow('the saved alert state has version undefined; this Vigil reads version 1');
    const id = Object.keys(saved.lifecycle.alerts)[0]!;
    saved.lifecycle.alerts[id].alert.state = 'burning';
    expect(() => restoreFlowState(saved)).toThrow(new RegExp(`^the saved alert state is damaged at lifecycle\\.alerts\\.${id}\\.alert\\.state: `));
    saved.lifecycle.alerts[id].alert.state = 'firing';
    saved.lifecycle.open.deadbeef = 'nowhere';
    expect(() => restoreFlowState(saved)).toThrow('the saved alert state is damaged: open alert deadbeef points at nowhere, which it does not hold');
  });

  it('gives the snapshot its alerts (firing first, worst first), silences, pause, quiet hours and worst severity', () => {
    const flow = busyState();
    const snapshot = flowSnapshot(flow.state, flow.context, flow.now);
    expect(snapshot.alerts.map((a) => `${a.rule} ${a.state}`)).toEqual(['service-crashed firing', 'cpu-high firing', 'disk-full pending', 'rss-high resolved']);
    expect(snapshot.silences).toHaveLength(1);
    expect(snapshot.pausedUntil).toBeNull();
    expect(snapshot.quiet).toBe(false);
    expect(snapshot.worst).toBe('critical');
    expect(findAlert(flow.state, snapshot.alerts[0]!.id)).toBe(snapshot.alerts[0]);
    expect(findAlert(flow.state, 'nope')).toBeNull();
    flow.tick(1000);
    flow.step({ acks: [{ id: snapshot.alerts[0]!.id, by: 'cli' }], silenceOps: [{ op: 'pause', until: flow.now + 60_000 }] });
    const after = flowSnapshot(flow.state, flow.context, flow.now);
    expect(after.worst).toBeNull(); // the critical is acknowledged, the warning silenced
    expect(after.pausedUntil).toBe(new Date(flow.now + 60_000).toISOString());
  });
});
