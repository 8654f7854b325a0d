// Per-service CPU, memory and threads of whole process trees, read from real processes and
// checked against what the kernel says another way (/proc/PID/status, schedstat), on both
// ways of finding a tree on Linux, and through `ps` as macOS does.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { detectTreeMethod, type TreeMethod } from '../../../src/core/metrics/samplers/linux-process-tree.ts';
import { LinuxServiceTrees } from '../../../src/core/metrics/samplers/linux-service-trees.ts';
import { PortableServiceTrees } from '../../../src/core/metrics/samplers/portable-service-trees.ts';
import type { ServiceTreeSampler } from '../../../src/core/metrics/samplers/service-trees.ts';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/process-tree.mjs');
const onLinux = process.platform === 'linux';
const started: number[] = [];

afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
});

interface Tree {
  child: ChildProcess;
  /** The root first, then its descendants. */
  pids: number[];
  /** Sends a command on stdin and waits for "done". */
  command(line: string): Promise<void>;
}

async function startTree(...args: string[]): Promise<Tree> {
  const child = spawn(process.execPath, [FIXTURE, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const waiters: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiters.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiters.push(resolve));
  const ready = await next();
  const pids = ready.slice('ready '.length).split(' ').map(Number);
  started.push(...pids);
  return {
    child,
    pids,
    command: async (line) => {
      const done = next();
      child.stdin!.write(`${line}\n`);
      expect(await done).toBe('done');
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Samples once and returns the values written, by series key. */
async function sampleOnce(trees: ServiceTreeSampler): Promise<Map<string, number>> {
  const values = new Map<string, number>();
  await trees.sample({ t: Date.now(), mono: performance.now() }, (key, value) => values.set(key, value));
  return values;
}

/** From /proc/PID/status, a file the samplers do not read: VmRSS in bytes and Threads. */
function status(pid: number): { rss: number; threads: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)![1]);
  return { rss: field('VmRSS') * 1024, threads: field('Threads') };
}

/** Nanoseconds on CPU of every thread of `pid`, from the scheduler's statistics. */
function cpuNanos(pid: number): number {
  return readdirSync(`/proc/${pid}/task`).reduce((sum, tid) => sum + Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]), 0);
}

const methods: TreeMethod[] = onLinux ? (detectTreeMethod() === 'children-file' ? ['children-file', 'proc-scan'] : ['proc-scan']) : [];

describe.runIf(onLinux).each(methods)('service trees from /proc (%s)', (method) => {
  const linuxTrees = (treeRefreshMs?: number) => new LinuxServiceTrees({ method, treeRefreshMs });

  it('shows about one core for a process burning CPU and about none for an idle one', async () => {
    const [burner, idle] = await Promise.all([startTree('burn'), startTree('idle')]);
    const trees = linuxTrees();
    trees.setServices([
      { name: 'burner', pid: burner.pids[0]!, adopted: false },
      { name: 'idle', pid: idle.pids[0]!, adopted: true },
    ]);
    const first = await sampleOnce(trees);
    expect(first.has('service_cpu_percent{service="burner"}')).toBe(false); // a rate needs two readings
    const startNs = cpuNanos(burner.pids[0]!);
    const startMs = performance.now();
    await sleep(1500);
    const values = await sampleOnce(trees);
    const kernelPercent = ((cpuNanos(burner.pids[0]!) - startNs) / 1e6 / (performance.now() - startMs)) * 100;

    const burning = values.get('service_cpu_percent{service="burner"}')!;
    // The kernel's nanosecond count over the same window agrees with the tick count; both are
    // well above idle even on a machine busy with other tests.
    expect(Math.abs(burning - kernelPercent)).toBeLessThan(10);
    expect(kernelPercent).toBeGreaterThan(10);
    expect(values.get('service_cpu_percent{service="idle"}')).toBeLessThan(5);
    expect(values.get('service_processes{service="idle"}')).toBe(1);
  });

  it('sums a parent and its two children', async () => {
    const tree = await startTree('parent', '2');
    expect(tree.pids).toHaveLength(3);
    const trees = linuxTrees();
    trees.setServices([{ name: 'web', pid: tree.pids[0]!, adopted: false }]);

    const values = await sampleOnce(trees);
    const expected = tree.pids.map(status);

    expect(trees.pidsOf('web').sort()).toEqual([...tree.pids].sort());
    expect(values.get('service_processes{service="web"}')).toBe(3);
    expect(values.get('service_threads{service="web"}')).toBe(expected.reduce((sum, s) => sum + s.threads, 0));
    const rss = expected.reduce((sum, s) => sum + s.rss, 0);
    expect(Math.abs(values.get('service_rss_bytes{service="web"}')! - rss)).toBeLessThan(rss * 0.05);
  });

  it('shows RSS growing when the service allocates 100 MB', async () => {
    const tree = await startTree('allocate');
    const trees = linuxTrees();
    trees.setServices([{ name: 'hog', pid: tree.pids[0]!, adopted: false }]);
    const before = (await sampleOnce(trees)).get('service_rss_bytes{service="hog"}')!;

    await tree.command('allocate');
    const after = (await sampleOnce(trees)).get('service_rss_bytes{service="hog"}')!;

    expect(after - before).toBeGreaterThan(95 * 1024 * 1024);
    expect(Math.abs(after - status(tree.pids[0]!).rss)).toBeLessThan(after * 0.05);
  });

  it('counts a grandchild that called setsid, and keeps counting it once its parent is gone', async () => {
    const tree = await startTree('setsid-grandparent');
    const [root, middle, grandchild] = tree.pids;
    // Looking for the tree at every tick: the orphan is no longer below the root, and is kept
    // because it was seen there.
    const trees = linuxTrees(0);
    trees.setServices([{ name: 'daemonish', pid: root!, adopted: false }]);

    expect((await sampleOnce(trees)).get('service_processes{service="daemonish"}')).toBe(3);
    expect(trees.pidsOf('daemonish')).toContain(grandchild);

    await tree.command('orphan');
    for (let i = 0; i < 100 && readFileSync(`/proc/${grandchild}/stat`, 'utf8').split(') ')[1]!.split(' ')[1] === String(middle); i++) await sleep(20);
    const values = await sampleOnce(trees);
    expect(trees.pidsOf('daemonish').sort()).toEqual([root!, grandchild!].sort());
    expect(values.get('service_processes{service="daemonish"}')).toBe(2);
  });

  it('counts all the CPU of a child started between two ticks', async () => {
    const tree = await startTree('spawner');
    const trees = linuxTrees(0);
    trees.setServices([{ name: 'builder', pid: tree.pids[0]!, adopted: false }]);
    await sampleOnce(trees);
    const startMs = performance.now();

    await tree.command('spawn-burner');
    await sleep(1000);
    const values = await sampleOnce(trees);
    const newcomer = trees.pidsOf('builder').find((pid) => pid !== tree.pids[0])!;
    started.push(newcomer);
    // All of the newcomer's CPU time falls in this window.
    const kernelPercent = (cpuNanos(newcomer) / 1e6 / (performance.now() - startMs)) * 100;

    expect(values.get('service_processes{service="builder"}')).toBe(2);
    // Without counting the newcomer's whole CPU time, this interval would read about 0.
    expect(kernelPercent).toBeGreaterThan(10);
    expect(Math.abs(values.get('service_cpu_percent{service="builder"}')! - kernelPercent)).toBeLessThan(10);
  });

  it('gives no sample and no error for a pid that is gone', async () => {
    const [gone, alive] = await Promise.all([startTree('idle'), startTree('idle')]);
    gone.child.kill('SIGKILL');
    await new Promise((resolve) => gone.child.once('exit', resolve));
    const trees = linuxTrees();
    trees.setServices([
      { name: 'gone', pid: gone.pids[0]!, adopted: false },
      { name: 'alive', pid: alive.pids[0]!, adopted: false },
      { name: 'stopped', pid: null, adopted: false },
    ]);

    const values = await sampleOnce(trees);

    expect([...values.keys()].filter((k) => !k.includes('service="alive"'))).toEqual([]);
    expect(values.get('service_processes{service="alive"}')).toBe(1);
    expect(trees.pidsOf('gone')).toEqual([]);
  });
});

describe.runIf(onLinux)('service trees through ps (the macOS path, run here with ps)', () => {
  it('sums a parent and its two children and sees a burning one', async () => {
    const [tree, burner] = await Promise.all([startTree('parent', '2'), startTree('burn')]);
    const trees = new PortableServiceTrees({ usePs: true });
    trees.setServices([
      { name: 'web', pid: tree.pids[0]!, adopted: false },
      { name: 'burner', pid: burner.pids[0]!, adopted: false },
    ]);

    await sampleOnce(trees);
    const startNs = cpuNanos(burner.pids[0]!);
    const startMs = performance.now();
    await sleep(2500);
    const values = await sampleOnce(trees);
    const kernelSeconds = (cpuNanos(burner.pids[0]!) - startNs) / 1e9;
    const windowSeconds = (performance.now() - startMs) / 1000;

    expect(trees.pidsOf('web').sort()).toEqual([...tree.pids].sort());
    expect(values.get('service_processes{service="web"}')).toBe(3);
    const rss = tree.pids.map(status).reduce((sum, s) => sum + s.rss, 0);
    expect(Math.abs(values.get('service_rss_bytes{service="web"}')! - rss)).toBeLessThan(rss * 0.05);
    expect(values.has('service_threads{service="web"}')).toBe(false);
    // ps counts CPU time in whole seconds on Linux (hundredths on macOS): the CPU seconds it
    // shows for the window are the kernel's within that step, however busy the machine is.
    const shownSeconds = (values.get('service_cpu_percent{service="burner"}')! / 100) * windowSeconds;
    expect(Math.abs(shownSeconds - kernelSeconds)).toBeLessThan(1.25);
    expect((values.get('service_cpu_percent{service="web"}')! / 100) * windowSeconds).toBeLessThan(1.25);
  });
});
