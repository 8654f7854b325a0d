// Verdicts -> alerts: pending, firing after `for`, resolved; one occurrence per fingerprint;
// rules that fall silent; flap damping; acknowledging.
import { describe, expect, it } from 'vitest';
import type { RuleVerdict } from '../../../src/shared/alerts.ts';
import { acknowledgeAlerts } from '../../../src/core/alerts/lifecycle/acknowledge.ts';
import { type AlertChange, EMPTY_LIFECYCLE, type LifecycleState } from '../../../src/core/alerts/lifecycle/alert-record.ts';
import { alertFingerprint } from '../../../src/core/alerts/lifecycle/fingerprint.ts';
import { applyVerdicts, pruneLifecycle, RESOLVE_TIMEOUT_MS } from '../../../src/core/alerts/lifecycle/lifecycle.ts';
import { DEFAULT_ALERT_FLOW_CONFIG } from '../../../src/core/alerts/config/route-config.ts';
import { T0, verdict } from '../flow/flow-driver.ts';

const SETTINGS = { flap: DEFAULT_ALERT_FLOW_CONFIG.flap, resolveTimeoutMs: RESOLVE_TIMEOUT_MS };

/** Steps the lifecycle alone, one evaluation per call, run time = wall time - T0. */
class Lifecycle {
  state: LifecycleState = EMPTY_LIFECYCLE;
  run = 0;
  changes: AlertChange[] = [];
  at(run: number, verdicts: RuleVerdict[], options: { judge?: boolean; gap?: boolean } = {}): AlertChange[] {
    this.run = run;
    const out = applyVerdicts(this.state, verdicts, { wallMs: T0 + run, runMs: run, judge: options.judge ?? true, gap: options.gap ?? false }, SETTINGS);
    this.state = out.state;
    this.changes.push(...out.changes);
    return out.changes;
  }
  get alerts() {
    return Object.values(this.state.alerts).map((r) => r.alert);
  }
  kinds(changes = this.changes) {
    return changes.map((c) => `${c.kind} ${c.alert.labels.service ?? c.alert.rule}`);
  }
}

const cpu = (service: string, active: boolean, forMs = 60_000, severity: 'warning' | 'critical' = 'warning') =>
  verdict('cpu-high', { service }, active, { forMs, severity, value: active ? 95 : 40 });

describe('lifecycle', () => {
  it('fires after `for`, not before, and resolves when the condition clears', () => {
    const life = new Lifecycle();
    expect(life.kinds(life.at(0, [cpu('server', true)]))).toEqual(['pending server']);
    expect(life.at(59_000, [cpu('server', true)])).toEqual([]);
    const [fired] = life.at(60_000, [cpu('server', true)]);
    expect(fired).toMatchObject({ kind: 'firing', alert: { state: 'firing', activeSince: new Date(T0).toISOString(), firingSince: new Date(T0 + 60_000).toISOString(), labels: { service: 'server', alertname: 'cpu-high' }, link: '#/service/server' } });
    const [resolved] = life.at(70_000, [cpu('server', false)]);
    expect(resolved).toMatchObject({ kind: 'resolved', alert: { state: 'resolved', resolvedAt: new Date(T0 + 70_000).toISOString(), details: { value: 40 } } });
    expect(resolved!.alert.id).toBe(fired!.alert.id);
  });

  it('drops a pending alert whose condition clears before its `for`, without a trace', () => {
    const life = new Lifecycle();
    life.at(0, [cpu('server', true)]);
    expect(life.kinds(life.at(30_000, [cpu('server', false)]))).toEqual(['dropped server']);
    expect(life.alerts).toEqual([]);
  });

  it('keeps one open alert per fingerprint (deduplication), whatever the label order or repeats', () => {
    const life = new Lifecycle();
    const a = verdict('svc-down', { service: 'server', port: '5555' }, true);
    const b = verdict('svc-down', { port: '5555', service: 'server' }, true);
    life.at(0, [a, b, a]);
    life.at(1000, [b]);
    expect(life.alerts).toHaveLength(1);
    expect(life.alerts[0]!.fingerprint).toBe(alertFingerprint('svc-down', { alertname: 'svc-down', service: 'server', port: '5555' }));
    expect(life.state.open).toEqual({ [life.alerts[0]!.fingerprint]: life.alerts[0]!.id });
  });

  it('lets a breach win when one evaluation reports a key twice', () => {
    const life = new Lifecycle();
    life.at(0, [verdict('down', { service: 'x' }, false), verdict('down', { service: 'x' }, true)]);
    life.at(1000, [verdict('down', { service: 'x' }, true), verdict('down', { service: 'x' }, false)]);
    expect(life.alerts.map((a) => a.state)).toEqual(['firing']);
  });

  it('makes a re-fire after a resolve a new occurrence, and keeps the old one listed', () => {
    const life = new Lifecycle();
    life.at(0, [cpu('server', true, 0)]);
    life.at(10_000, [cpu('server', false, 0)]);
    life.at(20_000, [cpu('server', true, 0)]);
    const [first, second] = life.alerts;
    expect(first).toMatchObject({ state: 'resolved' });
    expect(second).toMatchObject({ state: 'firing', activeSince: new Date(T0 + 20_000).toISOString() });
    expect(second!.id).not.toBe(first!.id);
    expect(second!.fingerprint).toBe(first!.fingerprint);
  });

  it('resolves an alert no rule reports on any more, after the resolve timeout', () => {
    const life = new Lifecycle();
    life.at(0, [cpu('server', true, 0), cpu('runner', true, 60_000)]);
    life.at(RESOLVE_TIMEOUT_MS - 1000, []);
    expect(life.alerts.map((a) => a.state)).toEqual(['firing', 'pending']);
    life.at(RESOLVE_TIMEOUT_MS, []);
    expect(life.kinds(life.changes.slice(-2))).toEqual(['resolved server', 'dropped runner']);
  });

  it('judges nothing while told not to (the grace after a wake) and drops pending alerts at a gap', () => {
    const life = new Lifecycle();
    life.at(0, [cpu('server', true, 0), cpu('runner', true)]);
    expect(life.kinds(life.at(1000, [cpu('server', false, 0), cpu('web', true, 0)], { judge: false, gap: true }))).toEqual(['dropped runner']);
    expect(life.alerts.map((a) => `${a.labels.service} ${a.state}`)).toEqual(['server firing']);
  });

  it('updates what a firing alert says, and raises its severity', () => {
    const life = new Lifecycle();
    life.at(0, [cpu('server', true, 0)]);
    life.at(1000, [{ ...cpu('server', true, 0, 'critical'), summary: 'server: CPU 99 %' }]);
    expect(life.alerts[0]).toMatchObject({ severity: 'critical', summary: 'server: CPU 99 %' });
  });

  describe('flap damping', () => {
    const flip = (life: Lifecycle, from: number, times: number, every = 20_000) => {
      for (let i = 0; i < times; i++) life.at(from + i * every, [cpu('server', i % 2 === 0, 0)]);
    };

    it('holds an alert firing once it has changed more than 4 times in 10 min', () => {
      const life = new Lifecycle();
      flip(life, 0, 8);
      // Fired, resolved, fired, resolved, fired: the fifth change marks it flapping, and the
      // resolves after that are held.
      expect(life.kinds()).toEqual(['firing server', 'resolved server', 'firing server', 'resolved server', 'firing server', 'flapping server']);
      const open = life.alerts.filter((a) => a.state !== 'resolved');
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ state: 'firing', flapping: true });
    });

    it('resolves a flapping alert once its condition has stayed clear for 5 min', () => {
      const life = new Lifecycle();
      flip(life, 0, 6); // ends with the condition clear at 100 s, held
      expect(life.alerts.at(-1)).toMatchObject({ state: 'firing', flapping: true });
      life.at(100_000 + 299_000, [cpu('server', false, 0)]);
      expect(life.alerts.at(-1)!.state).toBe('firing');
      life.at(100_000 + 300_000, [cpu('server', false, 0)]);
      expect(life.alerts.at(-1)).toMatchObject({ state: 'resolved', flapping: false });
    });

    it('settles (stops flapping, stays firing) once the condition has held for 5 min, even without new verdicts', () => {
      const life = new Lifecycle();
      flip(life, 0, 6);
      life.at(110_000, [cpu('server', true, 0)]);
      life.at(300_000, [cpu('server', true, 0)]);
      life.at(110_000 + 300_000, []);
      expect(life.kinds(life.changes.slice(-1))).toEqual(['settled server']);
      expect(life.alerts.at(-1)).toMatchObject({ state: 'firing', flapping: false });
    });

    it('lets changes spread wider than the window through in full', () => {
      const life = new Lifecycle();
      flip(life, 0, 12, 200_000); // a change every 3 min 20 s: 3 per window
      expect(life.changes.every((c) => c.kind === 'firing' || c.kind === 'resolved')).toBe(true);
      expect(life.changes).toHaveLength(12);
    });
  });

  it('prunes resolved alerts after a while, unless a channel still has to be told', () => {
    const life = new Lifecycle();
    life.at(0, [cpu('server', true, 0), cpu('runner', true, 0)]);
    life.at(1000, [cpu('server', false, 0), cpu('runner', false, 0)]);
    const runner = life.alerts.find((a) => a.labels.service === 'runner')!.id;
    const pruned = pruneLifecycle(life.state, 1000 + 900_000, 900_000, 600_000, (id) => id === runner);
    expect(Object.keys(pruned.alerts)).toEqual([runner]);
    expect(pruned.changesAt).toEqual({});
    // Nothing due: the same state comes back (no copy each evaluation).
    expect(pruneLifecycle(life.state, 1000 + 500_000, 900_000, 600_000, () => false)).toBe(life.state);
  });
});

describe('acknowledge', () => {
  it('acknowledges a firing alert once, and says why it cannot others', () => {
    const life = new Lifecycle();
    life.at(0, [cpu('server', true, 0), cpu('runner', true)]);
    const [server, runner] = life.alerts;
    const out = acknowledgeAlerts(life.state, [{ id: server!.id, by: 'cli' }, { id: server!.id, by: 'tray' }, { id: runner!.id, by: 'cli' }, { id: 'nope', by: 'cli' }], T0 + 5000);
    expect(out.changes.map((c) => c.alert.acknowledged)).toEqual([{ at: new Date(T0 + 5000).toISOString(), by: 'cli' }]);
    expect(out.rejected).toEqual([
      { what: `ack ${runner!.id}`, reason: 'the alert is pending: it has not fired yet' },
      { what: 'ack nope', reason: 'no alert has the id "nope"' },
    ]);
    expect(life.state.alerts[server!.id]!.alert.acknowledged).toBeNull(); // the input state is not touched
  });
});
