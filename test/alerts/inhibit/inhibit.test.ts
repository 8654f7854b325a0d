// The root cause mutes its consequences: the graph built from a stack, and who mutes whom.
import { describe, expect, it } from 'vitest';
import type { Alert, AlertLabels } from '../../../src/shared/alerts.ts';
import { EMPTY_GRAPH, stackDependencyGraph } from '../../../src/core/alerts/inhibit/dependency-graph.ts';
import { inhibitions } from '../../../src/core/alerts/inhibit/inhibit.ts';
import { alertFingerprint } from '../../../src/core/alerts/lifecycle/fingerprint.ts';

let clock = 0;
function firing(rule: string, labels: AlertLabels, state: Alert['state'] = 'firing'): Alert {
  const all = { alertname: rule, ...labels };
  const fingerprint = alertFingerprint(rule, all);
  const at = new Date(Date.UTC(2026, 0, 1) + clock++ * 1000).toISOString();
  return {
    id: `${fingerprint}-x`,
    fingerprint,
    rule,
    labels: all,
    severity: 'critical',
    state,
    summary: '',
    details: {},
    link: '',
    activeSince: at,
    firingSince: state === 'pending' ? null : at,
    resolvedAt: null,
    updatedAt: at,
    acknowledged: null,
    silencedBy: [],
    inhibitedBy: null,
    flapping: false,
  };
}

const STACK = stackDependencyGraph({
  services: [
    { name: 'db', port: 5432 },
    { name: 'server', port: 5555, dependsOn: ['db'] },
    { name: 'runner', port: 5051, dependsOn: ['server'] },
    { name: 'ngrok-agent' },
    { name: 'lonely', port: 7000 },
  ],
  tunnels: [
    { name: 'api', expect: ['localhost:5555'] },
    { name: 'jobs', upstreams: ['http://127.0.0.1:5051'] },
    { name: 'agent-run', service: 'ngrok-agent', expect: [9999, 'web'] },
  ],
  fly: { app: 'my-app' },
});

/** Who mutes whom, as "muted <- root" lines of rule/thing. */
function muting(alerts: Alert[], graph = STACK): string[] {
  const name = (a: Alert) => `${a.rule}/${a.labels.service ?? a.labels.tunnel ?? a.labels.machine ?? a.labels.app ?? ''}`;
  const byFingerprint = new Map(alerts.map((a) => [a.fingerprint, a]));
  return [...inhibitions(alerts, graph)].map(([id, root]) => `${name(alerts.find((a) => a.id === id)!)} <- ${name(byFingerprint.get(root)!)}`).sort();
}

describe('stackDependencyGraph', () => {
  it('links services to their dependents, tunnels to the service they forward to or that runs them, a Fly app to its machines', () => {
    expect(STACK.explains).toEqual({
      'service=db': ['service=server'],
      'service=server': ['service=runner', 'tunnel=api'],
      'service=runner': ['tunnel=jobs'],
      'service=ngrok-agent': ['tunnel=agent-run'],
      'app=my-app': ['app=my-app,machine=*'],
    });
    expect(STACK.nodes['app=my-app']).toEqual({ app: 'my-app', machine: '' });
  });
});

describe('inhibitions', () => {
  it('mutes the dependents and the tunnel of a service that is down, transitively, by the root', () => {
    const alerts = [
      firing('service-crashed', { service: 'server' }),
      firing('service-unhealthy', { service: 'runner' }),
      firing('tunnel-down', { tunnel: 'api' }),
      firing('tunnel-down', { tunnel: 'jobs' }),
      firing('cpu-high', { service: 'runner' }),
      firing('service-crashed', { service: 'lonely' }),
    ];
    expect(muting(alerts)).toEqual([
      'cpu-high/runner <- service-crashed/server',
      'service-unhealthy/runner <- service-crashed/server',
      'tunnel-down/api <- service-crashed/server',
      'tunnel-down/jobs <- service-crashed/server',
    ]);
  });

  it('takes the deepest failure as the root, whichever fired first', () => {
    const alerts = [firing('service-unhealthy', { service: 'runner' }), firing('service-crashed', { service: 'server' }), firing('service-crashed', { service: 'db' })];
    expect(muting(alerts)).toEqual(['service-crashed/server <- service-crashed/db', 'service-unhealthy/runner <- service-crashed/db']);
  });

  it('lets a busy service explain nothing, and a pending failure mute nothing yet', () => {
    expect(muting([firing('cpu-high', { service: 'server' }), firing('service-unhealthy', { service: 'runner' })])).toEqual([]);
    expect(muting([firing('service-crashed', { service: 'server' }, 'pending'), firing('service-unhealthy', { service: 'runner' })])).toEqual([]);
  });

  it('mutes the tunnel whose agent service is down', () => {
    expect(muting([firing('service-crashed', { service: 'ngrok-agent' }), firing('tunnel-down', { tunnel: 'agent-run' })])).toEqual(['tunnel-down/agent-run <- service-crashed/ngrok-agent']);
  });

  it("mutes a Fly app's machine checks while the app is down, not the other way round", () => {
    const app = firing('fly-app-down', { app: 'my-app' });
    const machine = firing('fly-machine-check-failing', { app: 'my-app', machine: 'm1' });
    expect(muting([app, machine])).toEqual(['fly-machine-check-failing/m1 <- fly-app-down/my-app']);
    expect(muting([firing('service-crashed', { app: 'my-app', machine: 'm2' }), firing('fly-machine-check-failing', { app: 'my-app', machine: 'm1' })])).toEqual([]);
  });

  it('keeps one root in a cycle of failures: the one that fired first', () => {
    const cyclic = stackDependencyGraph({ services: [{ name: 'a', dependsOn: ['b'] }, { name: 'b', dependsOn: ['a'] }] });
    expect(muting([firing('service-crashed', { service: 'b' }), firing('service-crashed', { service: 'a' })], cyclic)).toEqual(['service-crashed/a <- service-crashed/b']);
  });

  it('mutes every open alert but its own while the computer slept', () => {
    const slept = firing('machine-slept', {});
    const alerts = [slept, firing('service-crashed', { service: 'server' }), firing('cpu-high', { service: 'x' }, 'pending'), firing('cpu-high', { service: 'y' }, 'resolved')];
    const muted = inhibitions(alerts, EMPTY_GRAPH, slept.fingerprint);
    expect([...muted.keys()]).toEqual([alerts[1]!.id, alerts[2]!.id]);
    expect(new Set(muted.values())).toEqual(new Set([slept.fingerprint]));
  });
});
