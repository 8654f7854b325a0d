// The rules against a real engine: real processes that crash, loop, print errors and find
// their port taken, the engine's own events and logs as the rules' inputs, and its snapshot as
// their context, as the AlertsSubsystem will wire them.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterEach, expect, test } from 'vitest';
import type { RuleVerdict } from '../../../src/shared/alerts.ts';
import type { Engine } from '../../../src/core/engine.ts';
import type { RuleContext } from '../../../src/core/alerts/rules/rule-context.ts';
import { RuleSet } from '../../../src/core/alerts/rules/rule-set.ts';
import { isPortOpen } from '../../../src/core/supervisor/port-holder.ts';
import { DEMO_SERVICE, FIXTURE, freePort, NODE, startEngine, waitFor } from '../../helpers/stack.ts';
import { rulesConfig } from './rule-helpers.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function engineContext(engine: Engine): RuleContext {
  return {
    services: () => engine.snapshot().services,
    tunnels: () => engine.snapshot().tunnels,
    fly: () => engine.snapshot().fly,
    serviceOutput: (service, lines) => engine.logs(service, lines).map((l) => l.text),
  };
}

/** A RuleSet fed with the engine's events (and, on request, its services' output). */
function watch(engine: Engine, rules: RuleSet, logsOf: string[] = []) {
  const verdicts: RuleVerdict[] = [];
  const context = engineContext(engine);
  verdicts.push(...rules.begin(context, Date.now()).verdicts);
  cleanups.push(engine.events.subscribe((e) => verdicts.push(...rules.onEvent(e, context).verdicts)));
  const seen = new Map<string, number>();
  const timer = setInterval(() => {
    for (const service of logsOf) {
      for (const line of engine.logs(service, 1000, seen.get(service) ?? 0)) {
        seen.set(service, line.seq);
        verdicts.push(...rules.onLogLine(service, line).verdicts);
      }
    }
  }, 20);
  cleanups.push(() => clearInterval(timer));
  return verdicts;
}

test('a crashing service: service-crashed with its exit code and last lines, then service-crash-looping', async () => {
  const run = await startEngine(`
services:
  - name: server
    command: ["${NODE}", "${FIXTURE}", "--exit-after", "300", "--exit-code", "3", "--say", "connecting to the database"]
    health: { type: none }
    restart: { backoff: { initial: 50ms } }
    crash_loop: { failures: 3, window: 30s, cool_off: 1m }
`);
  cleanups.push(run.cleanup);
  const verdicts = watch(run.engine, new RuleSet(rulesConfig()));

  const crashed = await waitFor('service-crashed', () => verdicts.find((v) => v.rule === 'service-crashed' && v.active));
  expect(crashed).toMatchObject({
    labels: { alertname: 'service-crashed', service: 'server' },
    severity: 'warning',
    link: '#/service/server',
    details: { service: 'server', exitCode: 3, signal: null, restarts: 0 },
  });
  expect(crashed.summary).toMatch(/^server crashed: exited with code 3 after \d+(\.\d+)?(ms|s); Vigil is restarting it$/);
  expect(crashed.details.lastLines).toEqual(expect.arrayContaining(['connecting to the database', 'crashing after 300ms']));

  const looping = await waitFor('service-crash-looping', () => verdicts.find((v) => v.rule === 'service-crash-looping' && v.active), 20_000);
  expect(looping).toMatchObject({ severity: 'critical', details: { exitCode: 3 } });
  expect(looping.summary).toMatch(/^server keeps crashing: failed 3 times within 30s; Vigil tries again in 1m$/);
  expect(looping.details.restarts).toBeGreaterThanOrEqual(2);
  expect(looping.details.lastLines!.filter((l) => l === 'crashing after 300ms').length).toBeGreaterThanOrEqual(2);
});

test('a port held by another process: service-port-taken names the holder', async () => {
  const port = await freePort();
  const tag = `squatter-${randomUUID()}`;
  const squatter: ChildProcess = spawn(NODE, [DEMO_SERVICE, '--port', String(port), '--name', tag], { stdio: 'ignore' });
  cleanups.push(() => void squatter.kill('SIGKILL'));
  await waitFor('squatter listening', () => isPortOpen(port));
  const run = await startEngine(`
services:
  - name: web
    command: ["${NODE}", "${FIXTURE}", "--port", "${port}"]
    port: ${port}
`);
  cleanups.push(run.cleanup);
  const verdicts = watch(run.engine, new RuleSet(rulesConfig()));
  // Whether the engine saw the port taken before or after the rules began, they report it.
  const taken = await waitFor('service-port-taken', () => verdicts.find((v) => v.rule === 'service-port-taken' && v.active));
  expect(taken.labels).toEqual({ alertname: 'service-port-taken', service: 'web' });
  expect(taken.summary).toContain(`web cannot start: port ${port} is already in use by pid ${squatter.pid}`);
});

test('a log rule counts the real output of a service', async () => {
  const script = "let n = 0; setInterval(() => console.error(n++ % 2 ? 'ERROR db timeout ' + n : 'ok ' + n), 30)";
  const run = await startEngine(`
services:
  - name: worker
    command: ["${NODE}", "-e", ${JSON.stringify(script)}]
    health: { type: none }
`);
  cleanups.push(run.cleanup);
  const rules = new RuleSet(rulesConfig({ logs: [{ name: 'errors', service: 'worker', pattern: 'ERROR', more_than: 5, window: '1m' }] }));
  const verdicts = watch(run.engine, rules, ['worker']);
  const fired = await waitFor('log:errors', () => verdicts.find((v) => v.rule === 'log:errors'));
  expect(fired).toMatchObject({ active: true, labels: { alertname: 'log:errors', service: 'worker' }, details: { matches: 6, threshold: 5 } });
  expect(fired.details.lastLines).toHaveLength(5);
  for (const line of fired.details.lastLines!) expect(line).toMatch(/^ERROR db timeout \d+$/);
});
