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
import { TICKS_PER_SECOND } from '../../../src/core/metrics/samplers/linux-units.ts';
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

/** Nanoseconds on CPU of every thread of these processes together, from the scheduler's
 * statistics (a file the samplers do not read); a pid that is not there counts 0. */
function cpuNanos(...pids: number[]): number {
  let sum = 0;
  for (const pid of pids) {
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`)) sum += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // not started yet, or gone
    }
  }
  return sum;
}

interface BracketedSample {
  values: Map<string, number>;
  /** The sample's monotonic time: the sampler divides by the time between two of these. */
  mono: number;
  /** The kernel's count for the watched pids just before and just after the sample. */
  cpuNsBefore: number;
  cpuNsAfter: number;
}

/** One sample, with the kernel's CPU count of `pids` read just before and just after it: the
 * count the sampler saw lies between the two, however busy the machine is. */
async function bracketedSample(trees: ServiceTreeSampler, pids: number[]): Promise<BracketedSample> {
  const values = new Map<string, number>();
  const cpuNsBefore = cpuNanos(...pids);
  const mono = performance.now();
  await trees.sample({ t: Date.now(), mono }, (key, value) => values.set(key, value));
  return { values, mono, cpuNsBefore, cpuNsAfter: cpuNanos(...pids) };
}

/** /proc/PID/stat counts in whole ticks (utime and stime each rounded down): two readings
 * may differ from the exact figure by up to two ticks each way. */
const TICK_SLACK_NS = (3 * 1e9) / TICKS_PER_SECOND;

/** The CPU time between two samples, in ns, that the service's CPU percentage stands for (it is
 * a rate over the sampler's own window), and the range the kernel's counts allow for it. */
function shownCpu(first: BracketedSample, second: BracketedSample, service: string) {
  const percent = second.values.get(`service_cpu_percent{service="${service}"}`)!;
  return {
    shownNs: (percent / 100) * (second.mono - first.mono) * 1e6,
    atLeast: second.cpuNsBefore - first.cpuNsAfter - TICK_SLACK_NS,
    atMost: second.cpuNsAfter - first.cpuNsBefore + TICK_SLACK_NS,
  };
}

/** Waits until `pids` have run `ms` of CPU since `sinceNs`: a window measured in CPU time, not
 * wall time, so a machine busy with other tests makes the test slower, never wrong. */
async function untilBurned(pids: number[], sinceNs: number, ms: number): Promise<void> {
  for (let waited = 0; cpuNanos(...pids) - sinceNs < ms * 1e6; waited += 20) {
    if (waited > 60_000) throw new Error(`pids ${pids.join(', ')} did not run ${ms} ms of CPU within a minute`);
    await sleep(20);
  }
}

/** The processes whose parent is `pid`, from the process table. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

const methods: TreeMethod[] = onLinux ? (detectTreeMethod() === 'children-file' ? ['children-file', 'proc-scan'] : ['proc-scan']) : [];

describe.runIf(onLinux).each(methods)('service trees from /proc (%s)', (method) => {
  const linuxTrees = (treeRefreshMs?: number) => new LinuxServiceTrees({ method, treeRefreshMs });

  it('shows the CPU time the kernel counts for a process burning CPU, and about none for an idle one', async () => {
    const [burner, idle] = await Promise.all([startTree('burn'), startTree('idle')]);
    const burnerPid = burner.pids[0]!;
    const trees = linuxTrees();
    trees.setServices([
      { name: 'burner', pid: burnerPid, adopted: false },
      { name: 'idle', pid: idle.pids[0]!, adopted: true },
    ]);
    const first = await bracketedSample(trees, [burnerPid]);
    expect(first.values.has('service_cpu_percent{service="burner"}')).toBe(false); // a rate needs two readings
    await untilBurned([burnerPid], first.cpuNsAfter, 300);
    const second = await bracketedSample(trees, [burnerPid]);

    const { shownNs, atLeast, atMost } = shownCpu(first, second, 'burner');
    expect(atLeast).toBeGreaterThan(250e6);
    expect(shownNs).toBeGreaterThanOrEqual(atLeast);
    expect(shownNs).toBeLessThanOrEqual(atMost);
    expect(second.values.get('service_cpu_percent{service="idle"}')).toBeLessThan(5);
    expect(second.values.get('service_processes{service="idle"}')).toBe(1);
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
    const root = tree.pids[0]!;
    const trees = linuxTrees(0);
    trees.setServices([{ name: 'builder', pid: root, adopted: false }]);
    const first = await bracketedSample(trees, [root]);

    await tree.command('spawn-burner');
    const newcomer = childrenOf(root)[0]!;
    started.push(newcomer);
    await untilBurned([newcomer], 0, 300);
    const second = await bracketedSample(trees, [root, newcomer]);

    expect(trees.pidsOf('builder').sort()).toEqual([root, newcomer].sort());
    expect(second.values.get('service_processes{service="builder"}')).toBe(2);
    // All of the newcomer's CPU time falls in this window: counting only what it ran after the
    // sampler first saw it would show about none of the 300 ms.
    const { shownNs, atLeast, atMost } = shownCpu(first, second, 'builder');
    expect(atLeast).toBeGreaterThan(250e6);
    expect(shownNs).toBeGreaterThanOrEqual(atLeast);
    expect(shownNs).toBeLessThanOrEqual(atMost);
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
