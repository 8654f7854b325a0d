// What one metrics tick costs the engine's process: CPU time (process.cpuUsage around the
// tick) for the machine alone and with 50 services, the two ways of finding process trees,
// with and without the tree cache, and the portable (ps/systeminformation) path for
// comparison; then a sampler left running at 1 s for a while, as the engine runs it, with
// its CPU share and RSS. Runs on the project's Node 24 (TypeScript as is):
//   npm run bench -- samplers [--json] [--services 50] [--ticks 40] [--run-seconds 20]
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { LinuxServiceTrees } from '../src/core/metrics/samplers/linux-service-trees.ts';
import { LinuxSystemSource } from '../src/core/metrics/samplers/linux-system-source.ts';
import { MetricsSampler } from '../src/core/metrics/samplers/metrics-sampler.ts';
import { PortableServiceTrees } from '../src/core/metrics/samplers/portable-service-trees.ts';
import { PortableSystemSource } from '../src/core/metrics/samplers/portable-system-source.ts';
import type { ServiceTreeSampler } from '../src/core/metrics/samplers/service-trees.ts';
import type { SystemSource } from '../src/core/metrics/samplers/system-source.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SERVICES = option('services', 50);
const TICKS = option('ticks', 40);
const RUN_SECONDS = option('run-seconds', 20);
const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const noSystem: SystemSource = { description: 'none', sampleFast: () => {}, sampleSlow: () => {} };
const noTrees: ServiceTreeSampler = { description: 'none', setServices: () => {}, sample: () => {}, pidsOf: () => [] };

// ---- services: node processes (each in a group of its own, as Vigil runs them, so one
// signal ends the tree) like a dev stack's (event loop, ~7-11 threads each); every
// other one has a child, so trees of one and of two processes ----

const children: ChildProcess[] = [];
const IDLE = 'setInterval(() => {}, 1 << 30)';
const PARENT = `require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(IDLE)}], { stdio: 'ignore' }); ${IDLE}; console.log('ready')`;

async function startServices(count: number): Promise<{ name: string; pid: number; adopted: boolean }[]> {
  const services = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const child = spawn(process.execPath, ['-e', i % 2 === 0 ? PARENT : `${IDLE}; console.log('ready')`], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
      children.push(child);
      await new Promise<void>((resolve) => createInterface({ input: child.stdout! }).once('line', () => resolve()));
      return { name: `svc-${i}`, pid: child.pid!, adopted: false };
    }),
  );
  await sleep(300); // the grandchildren of the parents are up by now
  return services;
}

function stopServices(): void {
  if (bundled) rmSync(path.dirname(bundled), { recursive: true, force: true });
  for (const child of children) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }
}

// ---- measurements ----

interface Row {
  case: string;
  ticks: number;
  meanMs: number;
  p95Ms: number;
  /** Mean tick CPU at one tick a second, as % of one core. */
  percentAt1s: number;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

async function measure(name: string, sampler: MetricsSampler, ticks: number, gapMs = 0): Promise<Row> {
  // The first ticks find trees, load modules and warm the JIT up.
  for (let i = 0; i < 5; i++) await sampler.tickNow();
  const costs: number[] = [];
  for (let i = 0; i < ticks; i++) {
    if (gapMs > 0) await sleep(gapMs);
    const start = process.cpuUsage();
    await sampler.tickNow();
    costs.push(cpuMs(start));
  }
  costs.sort((a, b) => a - b);
  const mean = costs.reduce((a, b) => a + b, 0) / costs.length;
  const row = { case: name, ticks, meanMs: round(mean), p95Ms: round(costs[Math.floor(costs.length * 0.95)] ?? mean), percentAt1s: round(mean / 10) };
  log(`${name}: ${row.meanMs} ms per tick`);
  return row;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

function samplerWith(system: SystemSource, trees: ServiceTreeSampler, services: { name: string; pid: number; adopted: boolean }[], slowMs = 10_000): MetricsSampler {
  const sampler = new MetricsSampler({ system, trees, slowIntervalMs: slowMs, onSample: () => {} });
  sampler.setServices(services);
  return sampler;
}

/** /proc/PID/stat read the ordinary way and into a kept buffer (the reason for ProcFileReader). */
function readCost(): Row[] {
  const file = `/proc/${process.pid}/stat`;
  const n = 20_000;
  const rows: Row[] = [];
  const time = (name: string, read: () => void) => {
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) read();
    const per = cpuMs(start) / n;
    rows.push({ case: name, ticks: n, meanMs: round(per), p95Ms: round(per), percentAt1s: round(per / 10) });
  };
  time('read /proc/PID/stat: readFileSync', () => readFileSync(file, 'latin1'));
  const buffer = Buffer.allocUnsafe(4096);
  time('read /proc/PID/stat: kept buffer', () => {
    const fd = openSync(file, 'r');
    readSync(fd, buffer, 0, buffer.length, null);
    closeSync(fd);
  });
  return rows;
}

/** The sampler alone in a fresh process (sampler-run.ts), so its CPU and RSS are not this
 * benchmark's. */
async function runFor(seconds: number, services: { pid: number }[]): Promise<{ cpuPercent: number; rssMb: number; ticks: number }> {
  const script = await bundledRunner();
  const out = execFileSync(process.execPath, [script, '--seconds', String(seconds), '--pids', services.map((s) => s.pid).join(',')], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

let bundled: string | null = null;
/** sampler-run.ts bundled as the engine is (scripts/build.mjs): run as TypeScript, Node's type
 * stripping alone would add some 17 MB of RSS that the built engine does not have. */
async function bundledRunner(): Promise<string> {
  if (bundled) return bundled;
  const { build } = await import('esbuild');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-'));
  bundled = path.join(dir, 'sampler-run.mjs');
  await build({
    entryPoints: [new URL('./sampler-run.ts', import.meta.url).pathname],
    outfile: bundled,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __vigilCreateRequire } from 'node:module'; const require = __vigilCreateRequire(import.meta.url);" },
  });
  return bundled;
}

async function main(): Promise<void> {
  const rows: Row[] = [...readCost()];
  rows.push(await measure('system only, fast pass (/proc)', samplerWith(new LinuxSystemSource(), noTrees, [], Number.MAX_SAFE_INTEGER), TICKS));
  rows.push(await measure('system only, every pass incl. disks + temperatures', samplerWith(new LinuxSystemSource(), noTrees, [], 1), TICKS));

  log(`starting ${SERVICES} services...`);
  const services = await startServices(SERVICES);
  const processes = SERVICES + Math.ceil(SERVICES / 2);
  const scanned = readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length;
  log(`${processes} service processes; ${scanned} processes on the machine`);
  const label = `${SERVICES} services (${processes} processes)`;
  // Not reported: lets the services settle and the service path warm up, so the first row
  // below is not the one that pays for it.
  await measure('warm-up', samplerWith(noSystem, new LinuxServiceTrees(), services), TICKS);
  rows.push(await measure(`${label}, trees cached, children files`, samplerWith(noSystem, new LinuxServiceTrees({ method: 'children-file' }), services), TICKS));
  rows.push(await measure(`${label}, trees found every tick, children files`, samplerWith(noSystem, new LinuxServiceTrees({ method: 'children-file', treeRefreshMs: 0 }), services), TICKS));
  rows.push(await measure(`${label}, trees cached, /proc scan`, samplerWith(noSystem, new LinuxServiceTrees({ method: 'proc-scan' }), services), TICKS));
  rows.push(await measure(`${label}, trees found every tick, /proc scan`, samplerWith(noSystem, new LinuxServiceTrees({ method: 'proc-scan', treeRefreshMs: 0 }), services), TICKS));
  rows.push(await measure(`system + ${label}, as the engine runs it on Linux`, samplerWith(new LinuxSystemSource(), new LinuxServiceTrees(), services, Number.MAX_SAFE_INTEGER), TICKS));
  // The macOS path run here: its cost is mostly the child processes it starts.
  rows.push(await measure('portable system (os + systeminformation every tick)', samplerWith(new PortableSystemSource({ spawnIntervalMs: 0 }), noTrees, [], Number.MAX_SAFE_INTEGER), 10, 600));
  rows.push(await measure(`portable ${label} (pidusage: one ps per tick)`, samplerWith(noSystem, new PortableServiceTrees({ usePs: true }), services), 10));

  log(`running the sampler at 1 s for ${RUN_SECONDS} s, system only...`);
  const alone = await runFor(RUN_SECONDS, []);
  log(`running the sampler at 1 s for ${RUN_SECONDS} s with ${SERVICES} services...`);
  const withServices = await runFor(RUN_SECONDS, services);
  stopServices();

  console.log(`\nOne tick's CPU time in this process (${TICKS} ticks each; % of one core at one tick a second)\n`);
  console.log(`${'case'.padEnd(78)} ${'mean ms'.padStart(9)} ${'p95 ms'.padStart(9)} ${'% core'.padStart(8)}`);
  for (const r of rows) console.log(`${r.case.padEnd(78)} ${String(r.meanMs).padStart(9)} ${String(r.p95Ms).padStart(9)} ${String(r.percentAt1s).padStart(8)}`);
  console.log(`\nThe sampler alone in a Node process, ticking at 1 s (default sources), after 3 s of warm-up:`);
  console.log(`  system only:           ${alone.cpuPercent} % of one core over ${alone.ticks} ticks, RSS ${alone.rssMb} MB`);
  console.log(`  with ${SERVICES} services:      ${withServices.cpuPercent} % of one core over ${withServices.ticks} ticks, RSS ${withServices.rssMb} MB`);
  if (args.includes('--json')) console.log(JSON.stringify({ rows, running: { systemOnly: alone, withServices } }));
}

process.on('SIGINT', () => {
  stopServices();
  process.exit(130);
});
await main().catch((err) => {
  stopServices();
  console.error(err);
  process.exitCode = 1;
});
