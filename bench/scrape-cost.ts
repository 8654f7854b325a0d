// What /metrics costs the engine: loading the exporter (prom-client) at the first scrape, then
// each scrape's CPU time, wall time and size with a stack of N services, what the per-tick
// listener (CPU seconds) adds to each sampling tick, and the idle cost of prom-client's
// event-loop-lag monitor at its default precision (10 ms) and at the 100 ms Vigil uses.
// Runs on the project's Node 24 (TypeScript as is); needs `npm run build` (the stack loader):
//   npm run bench -- scrape [--json] [--services 20] [--scrapes 200] [--idle-seconds 10]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Engine } from '../src/core/engine.ts';
import { vigilPaths } from '../src/core/paths.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SERVICES = option('services', 20);
const SCRAPES = option('scrapes', 200);
const IDLE_SECONDS = option('idle-seconds', 10);
const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;
const rssMb = () => process.memoryUsage.rss() / 1e6;

// ---- an engine with SERVICES idle node services, each with a TCP health check ----

const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-scrape-'));
const IDLE = "require('net').createServer().listen(Number(process.argv[1]), '127.0.0.1')";
const basePort = 21000 + Math.floor(Math.random() * 4000);
const stack = ['services:'];
for (let i = 0; i < SERVICES; i++) {
  stack.push(`  - name: s${i}`, `    command: [${JSON.stringify(process.execPath)}, "-e", ${JSON.stringify(IDLE)}, "${basePort + i}"]`, `    port: ${basePort + i}`, '    health: { type: tcp, interval: 1s }');
}
const file = path.join(dir, 'vigil.yml');
writeFileSync(file, `${stack.join('\n')}\n`);
const engine = new Engine({ files: [file], paths: vigilPaths(path.join(dir, 'home')), watch: false, warn: () => {} });
await engine.start();
const deadline = Date.now() + 60_000;
while (engine.snapshot().services.some((s) => s.state !== 'running')) {
  if (Date.now() > deadline) throw new Error('services did not start');
  await sleep(100);
}
log(`${SERVICES} services running`);

// ---- first scrape: loading the exporter and prom-client, building the registry ----

const rssBefore = rssMb();
const firstStart = performance.now();
const { scrapeEngine } = await import('../src/core/server/prometheus/exporter.ts');
const firstText = await scrapeEngine(engine);
const first = { ms: performance.now() - firstStart, rssMb: rssMb() - rssBefore };
await sleep(3000); // sampling is active now: let the trees be read twice
log(`first scrape ${first.ms.toFixed(0)} ms, RSS +${first.rssMb.toFixed(1)} MB`);

// ---- steady scrapes ----

const wall: number[] = [];
const cpu: number[] = [];
let text = firstText;
for (let i = 0; i < SCRAPES; i++) {
  const c0 = cpuMs();
  const t0 = performance.now();
  text = await scrapeEngine(engine);
  wall.push(performance.now() - t0);
  cpu.push(cpuMs() - c0);
}
const series = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
const steady = { cpuMsMean: cpu.reduce((a, b) => a + b, 0) / cpu.length, wallMsP50: percentile(wall, 50), wallMsP95: percentile(wall, 95), bytes: Buffer.byteLength(text), series };

// ---- what the tick listener adds: one tick's values through ServiceCpuTime ----

const { ServiceCpuTime } = await import('../src/core/server/prometheus/service-cpu-time.ts');
const tick = engine.metrics.latest();
const cpuTime = new ServiceCpuTime();
const ROUNDS = 5000;
const t0 = performance.now();
for (let i = 0; i < ROUNDS; i++) cpuTime.add({ t: tick.t + i * 1000, values: tick.values });
const perTickUs = ((performance.now() - t0) / ROUNDS) * 1000;

await engine.shutdown();
rmSync(dir, { recursive: true, force: true });

// ---- idle cost of the event-loop monitor, in a process of its own each ----

async function idleCpuMs(precision: number | null): Promise<number> {
  const code = `
    const client = require('prom-client');
    const registry = new client.Registry();
    ${precision === null ? '' : `client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: ${precision} });`}
    const start = process.cpuUsage();
    setTimeout(() => { const u = process.cpuUsage(start); console.log((u.user + u.system) / 1000); }, ${IDLE_SECONDS * 1000});`;
  const child = spawn(process.execPath, ['-e', code], { cwd: path.resolve(import.meta.dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise((resolve) => child.once('exit', resolve));
  return Number(out.trim());
}
log(`idle for ${IDLE_SECONDS} s, four processes at once...`);
const [none, at10, at100, at1000] = await Promise.all([idleCpuMs(null), idleCpuMs(10), idleCpuMs(100), idleCpuMs(1000)]);
const idle = {
  noneMsPerS: none / IDLE_SECONDS,
  precision10MsPerS: at10 / IDLE_SECONDS,
  precision100MsPerS: at100 / IDLE_SECONDS,
  precision1000MsPerS: at1000 / IDLE_SECONDS,
};

const rows: [string, string][] = [
  ['services', String(SERVICES)],
  ['first scrape (load prom-client, build registry)', `${first.ms.toFixed(0)} ms wall, RSS +${first.rssMb.toFixed(1)} MB`],
  ['scrape CPU (mean)', `${steady.cpuMsMean.toFixed(2)} ms`],
  ['scrape wall (p50 / p95)', `${steady.wallMsP50.toFixed(2)} / ${steady.wallMsP95.toFixed(2)} ms`],
  ['scrape size', `${steady.bytes} bytes, ${steady.series} samples`],
  ['per tick (CPU seconds listener)', `${perTickUs.toFixed(1)} µs`],
  ['idle CPU, prom-client loaded, no default metrics', `${idle.noneMsPerS.toFixed(2)} ms/s`],
  ['idle CPU, default metrics, event loop every 10 ms', `${idle.precision10MsPerS.toFixed(2)} ms/s`],
  ['idle CPU, default metrics, event loop every 100 ms (Vigil)', `${idle.precision100MsPerS.toFixed(2)} ms/s`],
  ['idle CPU, default metrics, event loop every 1000 ms', `${idle.precision1000MsPerS.toFixed(2)} ms/s`],
];
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
if (args.includes('--json')) console.log(JSON.stringify({ services: SERVICES, first, steady, perTickUs, idle }));
process.exit(0);
