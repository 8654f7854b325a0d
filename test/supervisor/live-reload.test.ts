// Editing vigil.yml while the stack runs.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import { MetricsSampler } from '../../src/core/metrics/samplers/metrics-sampler.ts';
import { sampledServices } from '../../src/core/metrics/samplers/supervised-services.ts';
import { serveOnLoopback } from '../helpers/loopback-http.ts';
import { FIXTURE, NODE, processExists, startEngine, stateEventsWithoutTransition, waitFor } from '../helpers/stack.ts';

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

/** A metrics URL on 127.0.0.1 that answers `text` as Prometheus text. */
const metricsEndpoint = async (text: string) => `${await serveOnLoopback((_req, res) => res.end(text))}/metrics`;

const svc = (name: string, extra = '') => `
  - name: ${name}
    command: ["${NODE}", "${FIXTURE}", "--tag", "${name}"${extra}]`;

test('an edit starts new services, restarts changed ones, stops removed ones and leaves the rest alone', async () => {
  const run = await startEngine(`services:${svc('keep')}${svc('change')}${svc('drop')}\n`);
  cleanup = run.cleanup;
  await waitFor('all running', () => run.engine.snapshot().services.every((s) => s.state === 'running'));
  const before = Object.fromEntries(run.engine.snapshot().services.map((s) => [s.name, s.pid!]));

  writeFileSync(run.file, `services:${svc('keep')}${svc('change', ', "--say", "v2"')}${svc('add')}\n`);
  await waitFor('edit applied', () => run.engine.events.list().find((e) => e.type === 'config.applied' && e.message.includes('change applied')));
  await waitFor('add and change running', () => run.state('add').state === 'running' && run.state('change').state === 'running');

  const after = run.engine.snapshot();
  expect(after.services.map((s) => s.name).sort()).toEqual(['add', 'change', 'keep']);
  expect(run.state('keep').pid).toBe(before.keep);
  expect(run.state('change').pid).not.toBe(before.change);
  expect(processExists(before.change!)).toBe(false);
  await waitFor('dropped process gone', () => !processExists(before.drop!));
  const applied = run.engine.events.list().filter((e) => e.type === 'config.applied').at(-1)!;
  expect(applied.message).toBe('stack file change applied: added add; changed change; removed drop');
  const redefined = run.engine.events.list().filter((e) => e.type === 'service.redefined');
  expect(redefined).toMatchObject([{ service: 'change', fields: ['command'], message: 'definition changed in the stack file (command): restarting it' }]);
  expect(stateEventsWithoutTransition(run.engine.events.list())).toEqual([]);
});

test('a broken edit is reported with file:line and ignored; the file is never rewritten', async () => {
  const run = await startEngine(`services:${svc('keep')}\n`);
  cleanup = run.cleanup;
  const running = await waitFor('keep running', () => run.state('keep').state === 'running' && run.state('keep'));

  const broken = `services:\n  - name: keep\n    command: ["${NODE}", "${FIXTURE}"]\n    port: "not-a-port"\n`;
  writeFileSync(run.file, broken);
  const error = await waitFor('config.error', () => run.engine.events.list().find((e) => e.type === 'config.error'));
  expect(error.message).toContain('vigil.yml:4:11: services[0].port: expected a port number');
  expect(error.message).toContain('keep running as before');
  expect(run.engine.snapshot().files[0]!.error).toContain('vigil.yml:4');
  expect(run.state('keep')).toMatchObject({ state: 'running', pid: running.pid });
  expect(readFileSync(run.file, 'utf8')).toBe(broken);

  writeFileSync(run.file, `services:${svc('keep')}${svc('fixed')}\n`);
  await waitFor('fixed running', () => run.engine.snapshot().services.find((s) => s.name === 'fixed')?.state === 'running');
  expect(run.engine.snapshot().files[0]!.error).toBeNull();
  expect(run.state('keep').pid).toBe(running.pid);
});

test("an edit of only a service's metrics: leaves it running and reaches the sampler", async () => {
  const [oldUrl, newUrl] = await Promise.all([metricsEndpoint('endpoint 1\n'), metricsEndpoint('endpoint 2\n')]);
  const stack = (url: string, interval: string) => `services:${svc('web')}\n    metrics: { url: "${url}", interval: ${interval} }\n`;
  const run = await startEngine(stack(oldUrl, '10s'));
  cleanup = run.cleanup;
  const before = await waitFor('web running', () => run.state('web').state === 'running' && run.state('web'));

  writeFileSync(run.file, stack(newUrl, '2s'));
  const applied = await waitFor('edit applied', () => run.engine.events.list().find((e) => e.type === 'config.applied' && e.message.includes('change applied')));

  expect(applied.message).toBe('stack file change applied: updated web without a restart');
  expect(run.state('web')).toMatchObject({ state: 'running', pid: before.pid, restarts: 0 });
  expect(processExists(before.pid!)).toBe(true);
  expect(run.engine.events.list().filter((e) => e.type === 'service.redefined')).toEqual([]); // that event means a restart
  expect(stateEventsWithoutTransition(run.engine.events.list())).toEqual([]);
  // What the engine hands the sampler after a reload carries the new endpoint...
  const services = sampledServices(run.engine.supervisedServices());
  expect(services).toEqual([{ name: 'web', pid: before.pid, adopted: false, metrics: { url: newUrl, intervalMs: 2000 } }]);
  // ...and the sampler scrapes it there.
  const sampler = new MetricsSampler();
  sampler.setServices(services);
  await sampler.scrapeNow('web');
  expect(sampler.latest().values['endpoint{service="web"}']).toBe(2);
});
