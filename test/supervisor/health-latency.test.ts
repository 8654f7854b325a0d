// How long each health check takes: a real HTTP health endpoint on loopback that answers only
// after a known delay, the duration the supervisor measures for every check, and the series the
// metrics sampler makes of it (service_health_latency_ms, from the last check that passed).
import { afterEach, expect, test } from 'vitest';
import { MetricsSampler } from '../../src/core/metrics/samplers/metrics-sampler.ts';
import { supervisorStats } from '../../src/core/metrics/samplers/supervised-services.ts';
import { slowHealthEndpoint } from '../helpers/loopback-http.ts';
import { FIXTURE, NODE, startEngine, waitFor } from '../helpers/stack.ts';

const DELAY_MS = 150;

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

test('each health check is timed, and the sampler charts the last passing one', async () => {
  const health = await slowHealthEndpoint(DELAY_MS);
  // failures: 1000 keeps the service up while its checks fail at the end of the test.
  const run = await startEngine(`services:
  - name: web
    command: ["${NODE}", "${FIXTURE}"]
    health: { url: "${health.url}", interval: 200ms, timeout: 2s, failures: 1000 }
`);
  cleanup = run.cleanup;
  const web = () => run.engine.supervisedServices().find((s) => s.name === 'web')!;
  await waitFor('web running', () => run.state('web').state === 'running');
  expect(web().lastHealthCheck).toMatchObject({ ok: true }); // the readiness check that passed

  const check = await waitFor('a passing check', () => web().lastHealthCheck?.ok && web().lastHealthCheck);
  expect(check.durationMs).toBeGreaterThanOrEqual(DELAY_MS);

  const sampler = new MetricsSampler({ supervisorStats: () => supervisorStats(run.engine.supervisedServices(), Date.now()) });
  const passing = (await sampler.tickNow()).values;
  expect(passing['service_health_latency_ms{service="web"}']).toBeGreaterThanOrEqual(DELAY_MS);
  expect(passing['service_restarts_total{service="web"}']).toBe(0);
  expect(passing['service_uptime_seconds{service="web"}']).toBeGreaterThan(0);

  // A failing check took as long, but that is not how fast the service answers: no latency.
  health.answer(500);
  const failed = await waitFor('a failing check', () => web().lastHealthCheck?.ok === false && web().lastHealthCheck);
  expect(failed.durationMs).toBeGreaterThanOrEqual(DELAY_MS);
  expect((await sampler.tickNow()).values).not.toHaveProperty(['service_health_latency_ms{service="web"}']);
  expect(run.state('web').state).toBe('running'); // still up: one failure is not a thousand
});
