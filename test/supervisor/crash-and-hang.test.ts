// Crashes and hangs of real processes, seen and repaired by a real engine.
import { afterEach, expect, test } from 'vitest';
import { FIXTURE, freePort, NODE, startEngine, stateEventsWithoutTransition, waitFor } from '../helpers/stack.ts';

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

const webService = (port: number, extra = '') => `
services:
  - name: web
    command: ["${NODE}", "${FIXTURE}", "--port", "${port}"${extra}]
    port: ${port}
    health: { path: /health, interval: 200ms, failures: 2, timeout: 300ms }
`;

test('a SIGKILLed service is seen at once and restarted with a new pid', async () => {
  const port = await freePort();
  const run = await startEngine(webService(port));
  cleanup = run.cleanup;
  const first = await waitFor('web running', () => run.state('web').state === 'running' && run.state('web'));
  process.kill(first.pid!, 'SIGKILL');
  const second = await waitFor('web running again', () => {
    const s = run.state('web');
    return s.state === 'running' && s.pid !== first.pid && s;
  });
  expect(second.restarts).toBe(1);
  expect(second.lastExit).toMatchObject({ code: null, signal: 'SIGKILL' });
  const exit = run.engine.events.list().find((e) => e.type === 'service.exit');
  expect(exit).toMatchObject({ service: 'web', signal: 'SIGKILL' });
  expect(exit!.message).toContain('killed by SIGKILL');
});

test('a hung service (SIGSTOP) turns unhealthy and is restarted', async () => {
  const port = await freePort();
  const run = await startEngine(webService(port));
  cleanup = run.cleanup;
  const first = await waitFor('web running', () => run.state('web').state === 'running' && run.state('web'));
  process.kill(first.pid!, 'SIGSTOP');
  await waitFor('web unhealthy', () =>
    run.engine.events.list().find((e) => e.service === 'web' && e.to === 'unhealthy'),
  );
  const second = await waitFor('web running with a new pid', () => {
    const s = run.state('web');
    return s.state === 'running' && s.pid !== first.pid && s;
  });
  expect(second.restarts).toBe(1);
  await waitFor('the hung process is gone', () => {
    try {
      process.kill(first.pid!, 0);
      return false;
    } catch {
      return true;
    }
  });
  const unhealthy = run.engine.events.list().find((e) => e.to === 'unhealthy');
  expect(unhealthy!.message).toMatch(/health check failed 2 times in a row: no answer within 300ms/);
});

test('with auto-restart off a crash leaves the service stopped, and the switch is remembered', async () => {
  const port = await freePort();
  const run = await startEngine(webService(port));
  cleanup = run.cleanup;
  const first = await waitFor('web running', () => run.state('web').state === 'running' && run.state('web'));
  run.engine.setAutoRestart({ enabled: false });
  process.kill(first.pid!, 'SIGKILL');
  const stopped = await waitFor('web stopped', () => run.state('web').state === 'stopped' && run.state('web'));
  expect(stopped).toMatchObject({ reason: 'exit', pid: null, restarts: 0 });
  expect(stopped.error).toContain('auto-restart is off');

  // A per-service override beats the global switch.
  run.engine.setAutoRestart({ enabled: true, service: 'web' });
  await run.engine.act('web', 'start');
  const again = await waitFor('web running', () => run.state('web').state === 'running' && run.state('web'));
  process.kill(again.pid!, 'SIGKILL');
  await waitFor('web restarted by its override', () => {
    const s = run.state('web');
    return s.state === 'running' && s.pid !== again.pid;
  });

  const { Settings } = await import('../../src/core/settings.ts');
  const remembered = new Settings(run.engine.paths.settings);
  expect(remembered.globalAutoRestart).toBe(false);
  expect(remembered.override('web')).toBe(true);
});

test('an instant-exit crash loop backs off, turns crash-looping with one event, then tries again', async () => {
  const run = await startEngine(`
services:
  - name: crashy
    command: ["${NODE}", "${FIXTURE}", "--exit-after", "0"]
    restart: { backoff: { initial: 50ms, factor: 2, cap: 1s, jitter: 0 } }
    crash_loop: { failures: 4, window: 30s, cool_off: 1500ms }
`);
  cleanup = run.cleanup;
  const looping = await waitFor('crash-looping', () => run.state('crashy').state === 'crash-looping' && run.state('crashy'));
  expect(looping.error).toMatch(/failed 4 times within 30s; Vigil tries again in 1.5s/);
  expect(looping.nextStartAt).not.toBeNull();
  const transitions = () => run.engine.events.list().filter((e) => e.service === 'crashy' && e.type === 'service.state');
  expect(transitions().some((e) => e.to === 'backoff')).toBe(true);
  expect(transitions().filter((e) => e.to === 'crash-looping')).toHaveLength(1);
  expect(run.engine.events.list().filter((e) => e.type === 'service.exit')).toHaveLength(4);

  // The end of the cool-off is no transition (the start that follows is): an event of its own.
  const retry = await waitFor('a retry after the cool-off', () => run.engine.events.list().find((e) => e.service === 'crashy' && e.type === 'service.retry'), 10_000);
  expect(retry.message).toBe('crash-loop cool-off is over: trying again');
  await waitFor('crash-looping once more', () => transitions().filter((e) => e.to === 'crash-looping').length === 2, 10_000);
  const startAfterRetry = transitions().find((e) => e.id > retry.id);
  expect(startAfterRetry).toMatchObject({ from: 'crash-looping', to: 'starting' });
  expect(stateEventsWithoutTransition(run.engine.events.list())).toEqual([]);
});

test('a slow starter stays starting until its health check passes', async () => {
  const port = await freePort();
  const run = await startEngine(webService(port, ', "--slow-start", "1500"'));
  cleanup = run.cleanup;
  await waitFor('web starting', () => run.state('web').state === 'starting');
  await new Promise((r) => setTimeout(r, 800));
  expect(run.state('web').state).toBe('starting');
  expect(run.state('web').restarts).toBe(0);
  await waitFor('web running', () => run.state('web').state === 'running');
  expect(run.state('web').restarts).toBe(0);
});

test('a crash leaves an incident with the last lines of output', async () => {
  const run = await startEngine(`
services:
  - name: brittle
    command: ["${NODE}", "${FIXTURE}", "--say", "about-to-fail-7781", "--exit-after", "300", "--exit-code", "3"]
    restart: { policy: never }
`);
  cleanup = run.cleanup;
  const incident = await waitFor('an incident', () => run.state('brittle').lastIncident);
  expect(incident).toMatchObject({ service: 'brittle', exitCode: 3, signal: null });
  expect(incident.uptimeMs).toBeGreaterThanOrEqual(250);
  expect(incident.lastLines.join('\n')).toContain('about-to-fail-7781');
  expect(incident.lastLines.join('\n')).toContain('crashing after 300ms');
  expect(run.state('brittle')).toMatchObject({ state: 'stopped', reason: 'exit' });
  expect(run.engine.incidents('brittle')).toHaveLength(1);
});
