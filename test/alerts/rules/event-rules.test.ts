// The built-in rules that follow the engine's events: services (crashed, crash-looping,
// unhealthy, port taken), tunnels (down, degraded, URL changed) and the Fly app (down,
// unreachable, a deploy followed by failing checks). The context is plain snapshots that each
// test changes before it sends the event, as the supervisor and the watchers do.
import { describe, expect, it } from 'vitest';
import type { RuleVerdict } from '../../../src/shared/alerts.ts';
import { RuleSet } from '../../../src/core/alerts/rules/rule-set.ts';
import { event, flySnapshot, MINUTE, rulesConfig, serviceSnapshot, testStack, tunnelSnapshot } from './rule-helpers.ts';

const T0 = Date.parse('2025-03-01T12:00:00Z');
const tick = (rules: RuleSet, t: number) => rules.onTick({ t, values: {} }).verdicts;
const brief = (verdicts: RuleVerdict[]) => verdicts.map((v) => `${v.rule} ${v.active ? 'active' : 'inactive'} ${v.severity}`);

describe('service rules', () => {
  it('service-crashed carries the exit, the restart count and the last output lines, and resolves after a stable minute', () => {
    const rules = new RuleSet(rulesConfig());
    const stack = testStack({ serviceList: [serviceSnapshot('server', { restarts: 3 })], output: { server: Array.from({ length: 30 }, (_, i) => `line ${i}`) } });
    const crash = rules.onEvent(event('service.exit', T0, { service: 'server', message: 'exited with code 1 after 3.2s', exitCode: 1, signal: null, uptimeMs: 3200 }), stack);
    expect(crash.verdicts).toHaveLength(1);
    expect(crash.verdicts[0]).toMatchObject({
      rule: 'service-crashed',
      labels: { alertname: 'service-crashed', service: 'server' },
      active: true,
      severity: 'warning',
      forMs: 0,
      summary: 'server crashed: exited with code 1 after 3.2s; Vigil is restarting it',
      link: '#/service/server',
      details: { service: 'server', exitCode: 1, signal: null, restarts: 3, facts: { uptime: '3 s', 'auto-restart': 'on' } },
    });
    expect(crash.verdicts[0]!.details.lastLines).toEqual(Array.from({ length: 20 }, (_, i) => `line ${i + 10}`));

    // Restarted at once: running again, but the alert waits for a stable minute.
    rules.onEvent(event('service.state', T0 + 100, { service: 'server', from: 'starting', to: 'running' }), stack);
    expect(brief(tick(rules, T0 + 30_000))).toEqual(['service-crashed active warning']);
    const resolved = tick(rules, T0 + 100 + MINUTE);
    expect(brief(resolved)).toEqual(['service-crashed inactive warning']);
    expect(resolved[0]!.summary).toBe('server has run for 1 min without failing again');
    expect(tick(rules, T0 + 2 * MINUTE)).toEqual([]);
  });

  it('service-crashed says when nothing will restart the service, and counts a signal', () => {
    const rules = new RuleSet(rulesConfig());
    const stack = testStack({ serviceList: [serviceSnapshot('server', { autoRestart: false })] });
    const [verdict] = rules.onEvent(event('service.exit', T0, { service: 'server', message: 'was killed by SIGKILL after 2m', exitCode: null, signal: 'SIGKILL' }), stack).verdicts;
    expect(verdict).toMatchObject({ summary: 'server crashed: was killed by SIGKILL after 2m; auto-restart is off', details: { exitCode: null, signal: 'SIGKILL' } });
  });

  it('service-crash-looping is critical, and a retry that crashes again does not resolve it', () => {
    const rules = new RuleSet(rulesConfig());
    const stack = testStack({ serviceList: [serviceSnapshot('server', { restarts: 5, lastExit: { code: 2, signal: null, time: new Date(T0).toISOString() } })] });
    const looping = rules.onEvent(event('service.state', T0, { service: 'server', from: 'backoff', to: 'crash-looping', reason: 'crash', message: 'failed 5 times within 1m; Vigil tries again in 30s' }), stack);
    expect(looping.verdicts[0]).toMatchObject({
      rule: 'service-crash-looping',
      severity: 'critical',
      summary: 'server keeps crashing: failed 5 times within 1m; Vigil tries again in 30s',
      details: { exitCode: 2, restarts: 5 },
    });
    // The cool-off retry starts it, it runs a few seconds, and crashes again.
    rules.onEvent(event('service.state', T0 + 30_000, { service: 'server', from: 'crash-looping', to: 'starting' }), stack);
    rules.onEvent(event('service.state', T0 + 31_000, { service: 'server', from: 'starting', to: 'running' }), stack);
    rules.onEvent(event('service.exit', T0 + 33_000, { service: 'server', message: 'exited with code 2 after 2s', exitCode: 2 }), stack);
    expect(brief(tick(rules, T0 + 2 * MINUTE))).toEqual(['service-crash-looping active critical', 'service-crashed active warning']);
  });

  it('service-unhealthy holds while the service is unhealthy, and asks the lifecycle for 30 s', () => {
    const rules = new RuleSet(rulesConfig());
    const stack = testStack({ serviceList: [serviceSnapshot('server')] });
    const [unhealthy] = rules.onEvent(event('service.state', T0, { service: 'server', from: 'running', to: 'unhealthy', message: 'health check failed 3 times in a row: HTTP 500' }), stack).verdicts;
    expect(unhealthy).toMatchObject({ rule: 'service-unhealthy', active: true, forMs: 30_000, summary: 'server is unhealthy: health check failed 3 times in a row: HTTP 500' });
    const back = rules.onEvent(event('service.state', T0 + 5000, { service: 'server', from: 'unhealthy', to: 'running' }), stack).verdicts;
    expect(back.map((v) => [v.rule, v.active, v.summary])).toEqual([['service-unhealthy', false, 'server is running again']]);
  });

  it('service-port-taken holds until the service gets past the port check', () => {
    const rules = new RuleSet(rulesConfig());
    const stack = testStack({ serviceList: [serviceSnapshot('server', { state: 'stopped', reason: 'port-in-use' })] });
    const message = 'port 5555 is already in use by pid 4242 (python3 -m http.server 5555); free it with "vigil free-port 5555"';
    const [taken] = rules.onEvent(event('service.state', T0, { service: 'server', from: 'starting', to: 'stopped', reason: 'port-in-use', message }), stack).verdicts;
    expect(taken).toMatchObject({ rule: 'service-port-taken', active: true, summary: `server cannot start: ${message}` });
    const started = rules.onEvent(event('service.state', T0 + 1000, { service: 'server', from: 'stopped', to: 'starting' }), stack).verdicts;
    expect(brief(started)).toEqual(['service-port-taken inactive warning']);
  });

  it('a stop on request lets go of every alert of the service', () => {
    const rules = new RuleSet(rulesConfig());
    const stack = testStack({ serviceList: [serviceSnapshot('server')] });
    rules.onEvent(event('service.exit', T0, { service: 'server', message: 'exited with code 1', exitCode: 1 }), stack);
    rules.onEvent(event('service.state', T0 + 1, { service: 'server', from: 'backoff', to: 'crash-looping', message: 'failed' }), stack);
    const stopped = rules.onEvent(event('service.state', T0 + 2, { service: 'server', from: 'crash-looping', to: 'stopped', reason: 'user' }), stack).verdicts;
    expect(brief(stopped).sort()).toEqual(['service-crash-looping inactive critical', 'service-crashed inactive warning']);
    expect(stopped[0]!.summary).toMatch(/^server was stopped on request: /);
  });

  it('a switched-off rule says nothing; a tuned one uses its settings', () => {
    const rules = new RuleSet(rulesConfig({ builtin: { 'service-crashed': { enabled: false }, 'service-unhealthy': { severity: 'critical', for: '2m', channels: ['pager'] } } }));
    const stack = testStack({ serviceList: [serviceSnapshot('server')] });
    expect(rules.onEvent(event('service.exit', T0, { service: 'server', message: 'exited', exitCode: 1 }), stack).verdicts).toEqual([]);
    const [unhealthy] = rules.onEvent(event('service.state', T0, { service: 'server', from: 'running', to: 'unhealthy', message: 'x' }), stack).verdicts;
    expect(unhealthy).toMatchObject({ severity: 'critical', forMs: 120_000, channels: ['pager'] });
  });
});

describe('tunnel rules', () => {
  it('tunnel-down and tunnel-degraded follow the tunnel\'s state, with the agent service and the origin as labels', () => {
    const rules = new RuleSet(rulesConfig());
    const stack = testStack({ tunnelList: [tunnelSnapshot('public', { service: 'ngrok-agent', state: 'down', error: 'agent API unreachable' })] });
    stack.tunnelTargets = () => ['server'];
    const down = rules.onEvent(event('tunnel.state', T0, { tunnel: 'public', service: 'ngrok-agent', message: 'ngrok tunnel "public" is down: agent API unreachable' }), stack).verdicts;
    expect(down).toHaveLength(1);
    expect(down[0]).toMatchObject({
      rule: 'tunnel-down',
      labels: { alertname: 'tunnel-down', tunnel: 'public', service: 'ngrok-agent', target: 'server' },
      severity: 'critical',
      forMs: 60_000,
      summary: 'ngrok tunnel "public" is down: agent API unreachable',
      link: '#/tunnel/public',
    });
    stack.tunnelList[0]!.state = 'degraded';
    const degraded = rules.onEvent(event('tunnel.state', T0 + 5000, { tunnel: 'public', message: 'ngrok tunnel "public" is degraded: expected tunnel web is missing' }), stack).verdicts;
    expect(brief(degraded)).toEqual(['tunnel-down inactive critical', 'tunnel-degraded active warning']);
    stack.tunnelList[0]!.state = 'up';
    expect(brief(rules.onEvent(event('tunnel.state', T0 + 9000, { tunnel: 'public', message: 'up' }), stack).verdicts)).toEqual(['tunnel-degraded inactive warning']);
  });

  it('tunnel-url-changed is info, names both URLs, and resolves after its hold', () => {
    const rules = new RuleSet(rulesConfig());
    const stack = testStack({ tunnelList: [tunnelSnapshot('public')] });
    const message = 'ngrok tunnel "public": public URL changed: https://a.ngrok.app -> https://b.ngrok.app';
    const [changed] = rules.onEvent(event('tunnel.url', T0, { tunnel: 'public', oldUrl: 'https://a.ngrok.app', newUrl: 'https://b.ngrok.app', message }), stack).verdicts;
    expect(changed).toMatchObject({ rule: 'tunnel-url-changed', severity: 'info', active: true, summary: message, details: { facts: { 'new URL': 'https://b.ngrok.app', 'old URL': 'https://a.ngrok.app' } } });
    expect(brief(tick(rules, T0 + 4 * MINUTE))).toEqual(['tunnel-url-changed active info']);
    expect(brief(tick(rules, T0 + 5 * MINUTE))).toEqual(['tunnel-url-changed inactive info']);
  });
});

describe('Fly rules', () => {
  it('fly-app-down is critical when down, a level lower when degraded, and resolves when healthy', () => {
    const rules = new RuleSet(rulesConfig());
    const stack = testStack({ flyApp: flySnapshot({ health: 'down', machines: [{ id: 'm1', name: 'web-1', machineState: 'started', health: 'down', region: 'ams', image: null, instanceId: null, checks: [], lastRestartAt: null }] }) });
    const [down] = rules.onEvent(event('fly.state', T0, { message: 'Fly app my-app is down' }), stack).verdicts;
    expect(down).toMatchObject({ rule: 'fly-app-down', severity: 'critical', forMs: 60_000, labels: { app: 'my-app' }, summary: 'Fly app my-app is down (web-1 down)', link: '#/fly' });
    stack.flyApp!.health = 'degraded';
    expect(brief(rules.onEvent(event('fly.state', T0 + 1, { message: 'x' }), stack).verdicts)).toEqual(['fly-app-down active warning']);
    stack.flyApp = flySnapshot({ health: 'healthy' });
    expect(brief(rules.onEvent(event('fly.state', T0 + 2, { message: 'x' }), stack).verdicts)).toEqual(['fly-app-down inactive warning']);
  });

  it('fly-unreachable is not "the app is down": the app\'s own alerts stay as they were', () => {
    const rules = new RuleSet(rulesConfig());
    const stack = testStack({ flyApp: flySnapshot({ health: 'down' }) });
    rules.onEvent(event('fly.state', T0, { message: 'down' }), stack);
    stack.flyApp = flySnapshot({ health: 'unreachable', error: 'ENOTFOUND api.machines.dev' });
    const unreachable = rules.onEvent(event('fly.state', T0 + 1, { message: 'unreachable' }), stack).verdicts;
    expect(brief(unreachable)).toEqual(['fly-unreachable active warning']);
    expect(unreachable[0]).toMatchObject({ forMs: 5 * MINUTE, summary: 'Vigil cannot reach Fly.io to watch my-app: ENOTFOUND api.machines.dev' });
    expect(brief(tick(rules, T0 + 2)).sort()).toEqual(['fly-app-down active critical', 'fly-unreachable active warning']);
  });

  it('fly-deploy-failing fires when checks fail after a deploy, and resolves when healthy', () => {
    const rules = new RuleSet(rulesConfig());
    const stack = testStack({ flyApp: flySnapshot({ health: 'deploying' }) });
    rules.onEvent(event('fly.deploy', T0, { message: 'Fly app my-app was deployed' }), stack);
    stack.flyApp = flySnapshot({ health: 'degraded' });
    const failing = rules.onEvent(event('fly.state', T0 + 2 * MINUTE, { message: 'degraded' }), stack).verdicts;
    expect(brief(failing)).toEqual(['fly-app-down active warning', 'fly-deploy-failing active critical']);
    expect(failing[1]!.summary).toBe(`Fly app my-app: checks failing since the deploy at ${new Date(T0).toISOString()} (degraded)`);
    stack.flyApp = flySnapshot({ health: 'healthy' });
    expect(brief(rules.onEvent(event('fly.state', T0 + 3 * MINUTE, { message: 'healthy' }), stack).verdicts)).toEqual(['fly-app-down inactive warning', 'fly-deploy-failing inactive critical']);
    // Healthy once since the deploy, then failing long after the window: not the deploy's fault.
    stack.flyApp = flySnapshot({ health: 'degraded' });
    expect(brief(rules.onEvent(event('fly.state', T0 + 30 * MINUTE, { message: 'degraded' }), stack).verdicts)).toEqual(['fly-app-down active warning']);
  });
});

describe('taking over a running stack', () => {
  it('raises what is wrong now (after an engine restart), and lets go of what left the stack', () => {
    const rules = new RuleSet(rulesConfig());
    const stack = testStack({
      serviceList: [
        serviceSnapshot('server', { state: 'crash-looping', error: 'failed 5 times within 1m' }),
        serviceSnapshot('api', { state: 'stopped', reason: 'port-in-use', error: 'port 80 is taken' }),
        serviceSnapshot('worker', { state: 'stopped', reason: 'exit', lastExit: { code: 3, signal: null, time: new Date(T0).toISOString() } }),
        serviceSnapshot('db'),
      ],
      tunnelList: [tunnelSnapshot('public', { state: 'down', error: 'agent gone' })],
      flyApp: flySnapshot({ health: 'down' }),
    });
    const begun = rules.begin(stack, T0);
    expect(brief(begun.verdicts).sort()).toEqual([
      'fly-app-down active critical',
      'service-crash-looping active critical',
      'service-crashed active warning',
      'service-port-taken active warning',
      'tunnel-down active critical',
    ]);
    stack.serviceList = stack.serviceList.filter((s) => s.name !== 'server');
    stack.tunnelList = [];
    const applied = rules.onEvent(event('config.applied', T0 + 1, { message: 'removed server, public' }), stack).verdicts;
    expect(brief(applied).sort()).toEqual(['service-crash-looping inactive critical', 'tunnel-down inactive critical']);
    expect(applied.map((v) => v.summary).sort()).toEqual(['server left the stack', 'tunnel "public" left the stack']);
  });
});
