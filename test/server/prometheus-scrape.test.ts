// The real Prometheus (Debian's `prometheus` package; .ci/run installs it) scraping a real
// `vigil serve`: the scrape config is the one `vigil scrape-token` prints, Prometheus runs on a
// loopback port with its own data folder, and the test reads Vigil's series back through
// Prometheus' query API (snapshot, histogram, sampled and engine series alike). A scraper with the API token, or none, is refused, and Prometheus says
// so on its targets page.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { vigilPaths } from '../../src/core/paths.ts';
import { FIXTURE, freePort, NODE, tempDir, waitFor, writeStack } from '../helpers/stack.ts';
import { serve, vigil } from '../helpers/vigil-serve.ts';

const PROMETHEUS = '/usr/bin/prometheus';
const installed = existsSync(PROMETHEUS);
if (!installed) console.warn(`SKIPPED: ${PROMETHEUS} is missing, so /metrics is not tested against a real Prometheus (apt-get install prometheus; .ci/run does)`);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** Prometheus on 127.0.0.1:<port> with `config`; stopped (and its data removed) after the test. */
async function startPrometheus(config: string): Promise<{ url: string; output: () => string }> {
  const dir = tempDir('vigil-prometheus-');
  const port = await freePort();
  const configFile = path.join(dir, 'prometheus.yml');
  writeFileSync(configFile, config);
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [`--config.file=${configFile}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`Prometheus ready (${output.slice(-500)})`, () => fetch(`${url}/-/ready`).then((r) => r.ok, () => false), 20_000);
  return { url, output: () => output };
}

interface Target {
  labels: { job: string };
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  lastScrape: string;
}

async function targets(url: string): Promise<Target[]> {
  const answer = (await (await fetch(`${url}/api/v1/targets`)).json()) as { data: { activeTargets: Target[] } };
  return answer.data.activeTargets;
}

interface Vector {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(url: string, promql: string): Promise<Vector[]> {
  const answer = (await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`)).json()) as { status: string; data: { result: Vector[] }; error?: string };
  if (answer.status !== 'success') throw new Error(`${promql}: ${answer.error}`);
  return answer.data.result;
}

test.skipIf(!installed)('Prometheus scrapes Vigil with the config `vigil scrape-token` prints, and reads its series back', { timeout: 60_000 }, async () => {
  const home = tempDir();
  const [servicePort, apiPort] = [await freePort(), await freePort()];
  const file = writeStack(home, `services:\n  - name: web\n    command: ["${NODE}", "${FIXTURE}", "--port", "${servicePort}"]\n    port: ${servicePort}\n    health: { path: /health, interval: 200ms }\n`);
  await serve(home, file, apiPort);

  const printed = await vigil(home, ['scrape-token']);
  expect(printed.code, printed.stderr).toBe(0);
  const paths = vigilPaths(home);
  const token = readFileSync(paths.scrapeToken, 'utf8').trim();
  expect(printed.stdout.split('\n')[0]).toBe(token);
  const scrapeConfigs = printed.stdout.slice(printed.stdout.indexOf('scrape_configs:'));
  expect(scrapeConfigs).toContain(`127.0.0.1:${apiPort}`);
  const apiToken = readFileSync(paths.token, 'utf8').trim();
  // Two scrapers that must be refused: one holding the API token, one holding nothing.
  const config = `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n${scrapeConfigs}
  - job_name: vigil-with-api-token
    static_configs:
      - targets: ["127.0.0.1:${apiPort}"]
    authorization:
      credentials: ${JSON.stringify(apiToken)}
  - job_name: vigil-without-token
    static_configs:
      - targets: ["127.0.0.1:${apiPort}"]
`;
  const prometheus = await startPrometheus(config);

  const seen = await waitFor(
    'all three targets scraped',
    async () => {
      const list = await targets(prometheus.url);
      return list.length === 3 && list.every((t) => t.health !== 'unknown') && list;
    },
    20_000,
  );
  const byJob = Object.fromEntries(seen.map((t) => [t.labels.job, t]));
  expect(byJob.vigil).toMatchObject({ health: 'up', lastError: '' });
  for (const job of ['vigil-with-api-token', 'vigil-without-token']) {
    expect(byJob[job]!.health, job).toBe('down');
    expect(byJob[job]!.lastError, job).toContain('401');
  }

  const up = await waitFor('vigil_service_up{service="web"} == 1 in Prometheus', async () => {
    const result = await query(prometheus.url, 'vigil_service_up{service="web"}');
    return result.length === 1 && result[0]!.value[1] === '1' && result;
  });
  expect(up[0]!.metric).toMatchObject({ __name__: 'vigil_service_up', job: 'vigil', instance: `127.0.0.1:${apiPort}`, service: 'web' });
  // Prometheus' own view of the scrape, and a series of each kind read through PromQL.
  expect((await query(prometheus.url, 'up{job="vigil"}'))[0]!.value[1]).toBe('1');
  expect((await query(prometheus.url, 'up{job="vigil-without-token"}'))[0]!.value[1]).toBe('0');
  expect(Number((await query(prometheus.url, 'vigil_engine_process_resident_memory_bytes{job="vigil"}'))[0]!.value[1])).toBeGreaterThan(0);
  const histogram = await waitFor('health checks counted', async () => {
    const result = await query(prometheus.url, 'vigil_service_health_check_duration_seconds_count{service="web",result="passed"}');
    return result.length === 1 && Number(result[0]!.value[1]) > 0 && result;
  });
  expect(histogram[0]!.metric.job).toBe('vigil');

  // The sampled series: a system gauge, the service's memory, and its CPU time through rate().
  const total = await query(prometheus.url, 'vigil_system_memory_total_bytes{job="vigil"}');
  expect(Number(total[0]!.value[1])).toBeGreaterThan(0);
  expect(Number((await query(prometheus.url, 'vigil_service_resident_memory_bytes{service="web"}'))[0]!.value[1])).toBeGreaterThan(1024 * 1024);
  const cores = await waitFor('a rate of CPU seconds', async () => {
    const result = await query(prometheus.url, 'rate(vigil_service_cpu_seconds_total{service="web"}[10s])');
    return result.length === 1 && result;
  });
  expect(Number(cores[0]!.value[1])).toBeGreaterThanOrEqual(0);
  expect(Number((await query(prometheus.url, 'vigil_history_writing'))[0]!.value[1])).toBe(1);

  // A new token: Prometheus reads credentials_file at every scrape, Vigil its token file too,
  // so the target stays up with no reload of either.
  expect((await vigil(home, ['scrape-token', '--rotate', '--quiet'])).code).toBe(0);
  const rotatedAt = Date.now();
  const rotated = readFileSync(paths.scrapeToken, 'utf8').trim();
  expect(rotated).not.toBe(token);
  const afterRotation = await waitFor('a scrape after the rotation', async () => {
    const target = (await targets(prometheus.url)).find((t) => t.labels.job === 'vigil')!;
    return Date.parse(target.lastScrape) > rotatedAt && target;
  });
  expect(afterRotation).toMatchObject({ health: 'up', lastError: '' });
  expect(prometheus.output()).not.toContain(token);
});
