// /metrics' families against a real engine: real services with real health checks, sampled by
// the real metrics subsystem, ngrok and cloudflared tunnels read from local stand-ins of their
// agents, and a Fly.io app read from a local stand-in of the Machines API. The text is checked
// by promtool and the strict parser, then read back series by series.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import { PrometheusExporter } from '../../src/core/server/prometheus/exporter.ts';
import { engineSources } from '../../src/core/server/prometheus/exporter-sources.ts';
import { HEALTH_CHECK_BUCKETS } from '../../src/core/server/prometheus/health-check-histogram.ts';
import { VERSION } from '../../src/core/version.ts';
import { PROMETHEUS_TEXT_CONTENT_TYPE } from '../../src/shared/contract.ts';
import { startFakeCloudflared } from '../fixtures/fake-cloudflared.mjs';
import { makeMachine, start as startFakeFly } from '../fixtures/fake-fly-machines-api.mjs';
import { startFakeNgrokAgent } from '../fixtures/fake-ngrok-agent.mjs';
import { slowHealthEndpoint } from '../helpers/loopback-http.ts';
import { checkExposition, samplesOf, sampleValue } from '../helpers/prometheus-text.ts';
import { FIXTURE, NODE, startEngine, waitFor } from '../helpers/stack.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const DELAY_MS = 30;

test('services, health-check histogram, tunnels and Fly machines, read back from the text', async () => {
  const health = await slowHealthEndpoint(DELAY_MS);
  const ngrok = await startFakeNgrokAgent();
  cleanups.push(() => ngrok.close());
  ngrok.addTunnel({ name: 'web', publicUrl: 'https://first.ngrok.app', addr: 'http://localhost:5051' });
  const cloudflared = await startFakeCloudflared();
  cleanups.push(() => cloudflared.close());
  cloudflared.setReadyConnections(3);
  const fly = await startFakeFly(0, { token: 'fly-test-token-prom', app: 'my-app' });
  cleanups.push(() => fly.close());
  fly.setMachines([makeMachine({ id: 'm1', name: 'one', region: 'ams' }), makeMachine({ id: 'm2', name: 'two', region: 'ord' })]);
  fly.setChecks('critical', 'm2');
  const saved = process.env.FLY_API_TOKEN;
  process.env.FLY_API_TOKEN = fly.token;
  cleanups.push(() => {
    if (saved === undefined) delete process.env.FLY_API_TOKEN;
    else process.env.FLY_API_TOKEN = saved;
  });
  const services = `services:
  - name: web
    command: ["${NODE}", "${FIXTURE}"]
    health: { url: "${health.url}", interval: 100ms, timeout: 2s, failures: 1000 }
  - name: once
    command: ["${NODE}", "${FIXTURE}", "--exit-after", "0", "--exit-code", "0"]
    restart: { policy: never }
`;
  const watched = `tunnels:
  - name: public
    kind: ngrok
    api: ${ngrok.url}
    expect: [web]
    interval: 100ms
  - name: edge
    kind: cloudflared
    metrics: ${cloudflared.url}
    connections: 4
    interval: 100ms
fly:
  app: my-app
  api: ${fly.api}
  health_url: ${fly.healthUrl}
  interval: 100ms
`;
  const run = await startEngine(services + watched);
  cleanups.push(run.cleanup);
  const exporter = new PrometheusExporter(engineSources(run.engine), { processMetrics: false });
  cleanups.push(() => exporter.close());
  expect(exporter.contentType).toBe(PROMETHEUS_TEXT_CONTENT_TYPE);
  // Every check the engine reports from now on, to compare with the histogram's count.
  const seen: { ok: boolean; readiness: boolean }[] = [];
  cleanups.push(run.engine.onHealthCheck((service, check) => service === 'web' && seen.push(check)));

  await waitFor('web running', () => run.state('web').state === 'running');
  await waitFor('once stopped', () => run.state('once').state === 'stopped' && run.state('once').lastExit);
  await waitFor('tunnels read', () => run.engine.snapshot().tunnels.every((t) => t.state !== 'unknown'));
  await waitFor('fly read', () => run.engine.snapshot().fly?.machines.length === 2);
  await waitFor('3 steady checks', () => seen.filter((c) => !c.readiness).length >= 3);

  const before = seen.filter((c) => c.ok).length;
  let samples = checkExposition(await exporter.scrape());
  const after = seen.filter((c) => c.ok).length;

  // Services, from the snapshot.
  expect(sampleValue(samples, 'vigil_build_info', { version: VERSION })).toBe(1);
  expect(sampleValue(samples, 'vigil_service_up', { service: 'web' })).toBe(1);
  expect(sampleValue(samples, 'vigil_service_up', { service: 'once' })).toBe(0);
  expect(samplesOf(samples, 'vigil_service_state', { service: 'web' }).map((s) => [s.labels.state, s.value])).toEqual([
    ['starting', 0],
    ['running', 1],
    ['unhealthy', 0],
    ['backoff', 0],
    ['crash-looping', 0],
    ['stopped', 0],
  ]);
  expect(sampleValue(samples, 'vigil_service_state', { service: 'once', state: 'stopped' })).toBe(1);
  expect(sampleValue(samples, 'vigil_service_restarts_total', { service: 'web' })).toBe(0);
  expect(sampleValue(samples, 'vigil_service_start_time_seconds', { service: 'web' })).toBe(Date.parse(run.state('web').startedAt!) / 1000);
  expect(samplesOf(samples, 'vigil_service_start_time_seconds', { service: 'once' })).toEqual([]);

  // The histogram counted every passing check, each at least DELAY_MS long.
  const passed = { service: 'web', result: 'passed' };
  const count = sampleValue(samples, 'vigil_service_health_check_duration_seconds_count', passed);
  expect(count).toBeGreaterThanOrEqual(before);
  expect(count).toBeLessThanOrEqual(after);
  expect(sampleValue(samples, 'vigil_service_health_check_duration_seconds_sum', passed)).toBeGreaterThanOrEqual((count * DELAY_MS) / 1000);
  const buckets = samplesOf(samples, 'vigil_service_health_check_duration_seconds_bucket', passed);
  expect(buckets.map((b) => b.labels.le)).toEqual([...HEALTH_CHECK_BUCKETS.map(String), '+Inf']);
  expect(buckets.find((b) => b.labels.le === '0.025')!.value).toBe(0);
  expect(buckets.at(-1)!.value).toBe(count);

  // Tunnels: ngrok up; cloudflared with 3 of 4 edge connections is degraded.
  expect(sampleValue(samples, 'vigil_tunnel_up', { tunnel: 'public', kind: 'ngrok' })).toBe(1);
  expect(sampleValue(samples, 'vigil_tunnel_up', { tunnel: 'edge', kind: 'cloudflared' })).toBe(0);
  expect(sampleValue(samples, 'vigil_tunnel_state', { tunnel: 'edge', state: 'degraded' })).toBe(1);
  expect(sampleValue(samples, 'vigil_tunnel_edge_connections', { tunnel: 'edge', kind: 'cloudflared' })).toBe(3);
  expect(sampleValue(samples, 'vigil_tunnel_expected_edge_connections', { tunnel: 'edge' })).toBe(4);
  expect(samplesOf(samples, 'vigil_tunnel_edge_connections', { tunnel: 'public' })).toEqual([]);

  // Fly: each machine's state enum-style, its checks, its region.
  const m1 = { app: 'my-app', machine: 'm1', region: 'ams' };
  const m2 = { app: 'my-app', machine: 'm2', region: 'ord' };
  expect(sampleValue(samples, 'vigil_fly_machine_state', { ...m1, state: 'started' })).toBe(1);
  expect(samplesOf(samples, 'vigil_fly_machine_state', m1).reduce((sum, s) => sum + s.value, 0)).toBe(1);
  expect(samplesOf(samples, 'vigil_fly_machine_state', m1).length).toBeGreaterThan(10);
  expect(sampleValue(samples, 'vigil_fly_machine_info', { ...m2, name: 'two' })).toBe(1);
  expect(sampleValue(samples, 'vigil_fly_check_status', { ...m1, check: 'servicecheck-00-http-8080', status: 'passing' })).toBe(1);
  expect(sampleValue(samples, 'vigil_fly_check_status', { ...m2, check: 'servicecheck-00-http-8080', status: 'critical' })).toBe(1);
  expect(sampleValue(samples, 'vigil_fly_check_status', { ...m2, check: 'servicecheck-00-http-8080', status: 'passing' })).toBe(0);
  expect(sampleValue(samples, 'vigil_fly_machine_health', { ...m2, health: 'down' })).toBe(1);
  expect(sampleValue(samples, 'vigil_fly_app_health', { app: 'my-app', health: run.engine.snapshot().fly!.health })).toBe(1);

  // Failing checks count apart; a machine stopping shows at the next scrape.
  health.answer(500);
  fly.setState('m1', 'stopped');
  await waitFor('2 failed checks', () => seen.filter((c) => !c.ok).length >= 2);
  await waitFor('m1 stopped', () => run.engine.snapshot().fly?.machines.find((m) => m.id === 'm1')?.machineState === 'stopped');
  samples = checkExposition(await exporter.scrape());
  expect(sampleValue(samples, 'vigil_service_health_check_duration_seconds_count', { service: 'web', result: 'failed' })).toBeGreaterThanOrEqual(2);
  expect(sampleValue(samples, 'vigil_service_up', { service: 'web' })).toBe(1); // failures: 1000
  expect(sampleValue(samples, 'vigil_fly_machine_state', { ...m1, state: 'stopped' })).toBe(1);
  expect(sampleValue(samples, 'vigil_fly_machine_state', { ...m1, state: 'started' })).toBe(0);

  // What leaves the stack leaves no series behind, the histogram's included.
  writeFileSync(run.file, `services:\n  - name: once\n    command: ["${NODE}", "${FIXTURE}", "--exit-after", "0", "--exit-code", "0"]\n    restart: { policy: never }\n`);
  await waitFor('web, tunnels and fly gone', () => {
    const state = run.engine.snapshot();
    return state.services.length === 1 && state.tunnels.length === 0 && state.fly === null;
  });
  samples = checkExposition(await exporter.scrape());
  const left = new Set(samples.map((s) => s.labels.service ?? s.labels.tunnel ?? s.labels.app).filter(Boolean));
  expect([...left]).toEqual(['once']);
});

/** CPU seconds a process has used, from /proc (Linux), or null elsewhere. */
function cpuSecondsOf(pid: number): number | null {
  if (process.platform !== 'linux') return null;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100 on Linux)
}

test('sampled series: a scrape turns sampling to the active rate; the system, the process tree, CPU seconds, history, ngrok connections', async () => {
  const ngrok = await startFakeNgrokAgent();
  cleanups.push(() => ngrok.close());
  ngrok.addTunnel({ name: 'web', publicUrl: 'https://first.ngrok.app', addr: 'http://localhost:5051' });
  // Busy 20 ms in every 100 ms: a fifth of a core, without a whole core taken from the machine.
  const burner = 'setInterval(() => { const end = Date.now() + 20; while (Date.now() < end); }, 100)';
  const run = await startEngine(`services:
  - name: burner
    command: ["${NODE}", "-e", ${JSON.stringify(burner)}]
tunnels:
  - name: public
    kind: ngrok
    api: ${ngrok.url}
    expect: [web]
    interval: 100ms
`);
  cleanups.push(run.cleanup);
  await waitFor('burner running', () => run.state('burner').state === 'running');
  await waitFor('tunnel up', () => run.engine.snapshot().tunnels[0]?.state === 'up');
  const exporter = new PrometheusExporter(engineSources(run.engine), { processMetrics: false });
  cleanups.push(() => exporter.close());
  expect(run.engine.snapshot().metrics.sampling.active).toBe(false);
  await exporter.scrape();
  // Someone is looking: ticks every second from now on, with no other client.
  expect(run.engine.snapshot().metrics.sampling).toMatchObject({ active: true, intervalMs: 1000 });

  const cpu = { service: 'burner' };
  const samples = await waitFor(
    'CPU seconds counted',
    async () => {
      const text = checkExposition(await exporter.scrape());
      const counted = samplesOf(text, 'vigil_service_cpu_seconds_total', cpu);
      return counted.length === 1 && counted[0]!.value > 0 && samplesOf(text, 'vigil_tunnel_open_connections').length > 0 && text;
    },
    20_000,
    300,
  );
  // Never more than the process really used (the counter starts after it did).
  const used = cpuSecondsOf(run.state('burner').pid!);
  if (used !== null) expect(sampleValue(samples, 'vigil_service_cpu_seconds_total', cpu)).toBeLessThanOrEqual(used * 1.1 + 0.05);

  const rss = sampleValue(samples, 'vigil_service_resident_memory_bytes', cpu);
  expect(rss).toBeGreaterThan(1024 * 1024);
  expect(rss).toBeLessThan(1024 ** 3);
  expect(sampleValue(samples, 'vigil_service_processes', cpu)).toBe(1);
  if (process.platform === 'linux') expect(sampleValue(samples, 'vigil_service_threads', cpu)).toBeGreaterThanOrEqual(1);

  // System gauges in Prometheus' units: a percentage becomes a ratio of the same tick's bytes.
  const total = sampleValue(samples, 'vigil_system_memory_total_bytes');
  expect(total).toBe(run.engine.metrics.latest().values.system_memory_total_bytes);
  expect(sampleValue(samples, 'vigil_system_memory_usage_ratio')).toBeCloseTo(sampleValue(samples, 'vigil_system_memory_used_bytes') / total, 9);
  const busy = sampleValue(samples, 'vigil_system_cpu_usage_ratio');
  expect(busy).toBeGreaterThanOrEqual(0);
  expect(busy).toBeLessThanOrEqual(1);
  expect(sampleValue(samples, 'vigil_system_load1')).toBeGreaterThanOrEqual(0);
  expect(samplesOf(samples, 'vigil_system_cpu_core_usage_ratio').map((s) => Object.keys(s.labels))).toContainEqual(['core']);

  // ngrok's own counts for the endpoint, under the tunnel's name.
  const endpoint = { tunnel: 'public', kind: 'ngrok', endpoint: 'web' };
  expect(sampleValue(samples, 'vigil_tunnel_open_connections', endpoint)).toBe(1);
  expect(sampleValue(samples, 'vigil_tunnel_connections_total', endpoint)).toBe(3);

  // The history file: written, and its size on disk.
  expect(sampleValue(samples, 'vigil_history_writing')).toBe(1);
  expect(sampleValue(samples, 'vigil_history_size_bytes')).toBeGreaterThan(0);
});
