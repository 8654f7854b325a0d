// Each service's process tree where there is no /proc (macOS, Windows), through the pidtree
// and pidusage packages. Finding trees needs the whole process table (`ps -A -o ppid,pid`,
// one child process for all services), so it runs every `treeRefreshMs` (10 s); each tick
// then runs one `ps -o etime,pid,ppid,pcpu,rss,time -p <the trees' pids>` (pidusage; wmic or
// PowerShell on Windows) for all services together. CPU % comes from the cumulative CPU time
// column, as on Linux, not from ps's %cpu (a decaying average over the process's life on
// macOS). ps has no thread count on macOS: there is no service_threads series there.
import pidtree from 'pidtree';
import pidusage from 'pidusage';
import type { SampleOut, TickTime } from './sample.ts';
import { cpuPercentSince, type ServiceProcess, type ServiceTreeSampler, type TreeSeriesKeys, treeSeriesKeys, writeTreeUsage } from './service-trees.ts';

interface Member {
  /** When it started (ms since the epoch, to ps's one-second precision). */
  startedAt: number;
  cpuMs: number;
}

interface Tracked {
  keys: TreeSeriesKeys;
  root: number;
  members: Map<number, Member>;
  lastMono: number | null;
  lastWall: number;
  gone: boolean;
}

export interface PortableServiceTreesOptions {
  treeRefreshMs?: number;
  /** Use `ps` even on Linux and Windows, as on macOS (the tests do, to run this path). */
  usePs?: boolean;
}

/** A pid whose start moved by more than this is another process that got the same pid. */
const START_TOLERANCE_MS = 2000;

export class PortableServiceTrees implements ServiceTreeSampler {
  readonly description: string;
  private readonly treeRefreshMs: number;
  private readonly usePs: boolean;
  private services = new Map<string, Tracked>();
  private treesFoundAt = Number.NEGATIVE_INFINITY;

  constructor(options: PortableServiceTreesOptions = {}) {
    this.treeRefreshMs = options.treeRefreshMs ?? 10_000;
    this.usePs = options.usePs ?? false;
    this.description = `pidusage (ps -o ... -p <pids>) every tick, pidtree (ps -A) every ${this.treeRefreshMs / 1000} s`;
  }

  setServices(services: ServiceProcess[]): void {
    const next = new Map<string, Tracked>();
    for (const { name, pid } of services) {
      if (pid === null) continue;
      const known = this.services.get(name);
      if (known && known.root === pid && !known.gone) next.set(name, known);
      else {
        next.set(name, { keys: known?.keys ?? treeSeriesKeys(name), root: pid, members: new Map(), lastMono: null, lastWall: 0, gone: false });
        this.treesFoundAt = Number.NEGATIVE_INFINITY; // look for the new tree at the next tick
      }
    }
    this.services = next;
  }

  pidsOf(name: string): number[] {
    return [...(this.services.get(name)?.members.keys() ?? [])];
  }

  async sample(time: TickTime, out: SampleOut): Promise<void> {
    const live = [...this.services.values()].filter((s) => !s.gone);
    if (live.length === 0) return;
    if (time.mono - this.treesFoundAt >= this.treeRefreshMs) {
      this.treesFoundAt = time.mono;
      await this.findTrees(live);
    }
    const pids = live.flatMap((s) => [...s.members.keys()]);
    const stats = await usage(pids, this.usePs);
    const wall = Date.now();
    for (const tracked of live) this.sampleOne(tracked, stats, time.mono, wall, out);
  }

  private async findTrees(live: Tracked[]): Promise<void> {
    let table: { pid: number; ppid: number }[];
    try {
      table = await pidtree(-1, { advanced: true });
    } catch {
      table = [];
    }
    const byParent = new Map<number, number[]>();
    for (const { pid, ppid } of table) {
      const siblings = byParent.get(ppid);
      if (siblings) siblings.push(pid);
      else byParent.set(ppid, [pid]);
    }
    for (const tracked of live) {
      const queue = [tracked.root];
      const seen = new Set(queue);
      if (!tracked.members.has(tracked.root)) tracked.members.set(tracked.root, { startedAt: -1, cpuMs: -1 });
      while (queue.length > 0) {
        for (const child of byParent.get(queue.shift()!) ?? []) {
          if (seen.has(child)) continue;
          seen.add(child);
          queue.push(child);
          if (!tracked.members.has(child)) tracked.members.set(child, { startedAt: -1, cpuMs: -1 });
        }
      }
    }
  }

  private sampleOne(tracked: Tracked, stats: Map<number, ProcessUsage>, mono: number, wall: number, out: SampleOut): void {
    let cpuMs = 0;
    let rss = 0;
    let processes = 0;
    for (const [pid, member] of tracked.members) {
      const stat = stats.get(pid);
      const startedAt = stat ? stat.timestamp - stat.elapsed : 0;
      if (!stat || (member.startedAt >= 0 && Math.abs(startedAt - member.startedAt) > START_TOLERANCE_MS)) {
        tracked.members.delete(pid);
        continue;
      }
      if (member.cpuMs >= 0) cpuMs += Math.max(0, stat.ctime - member.cpuMs);
      else if (tracked.lastMono !== null && startedAt >= tracked.lastWall) cpuMs += stat.ctime; // started since the last tick
      if (member.startedAt < 0) member.startedAt = startedAt;
      member.cpuMs = stat.ctime;
      rss += stat.memory;
      processes++;
    }
    if (!tracked.members.has(tracked.root)) {
      tracked.members.clear();
      tracked.gone = true;
      return;
    }
    const cpuPercent = cpuPercentSince(cpuMs / 1000, tracked.lastMono, mono);
    tracked.lastMono = mono;
    tracked.lastWall = wall;
    writeTreeUsage(tracked.keys, { cpuPercent, rssBytes: rss, threads: null, processes }, out);
  }
}

interface ProcessUsage {
  ctime: number;
  elapsed: number;
  timestamp: number;
  memory: number;
}

/** pidusage for all pids at once; a pid that is gone is simply missing from the answer. */
async function usage(pids: number[], usePs: boolean): Promise<Map<number, ProcessUsage>> {
  const result = new Map<number, ProcessUsage>();
  if (pids.length === 0) return result;
  try {
    const stats = await pidusage(pids, { usePs, maxage: 0 });
    for (const [pid, stat] of Object.entries(stats)) if (stat) result.set(Number(pid), stat);
  } catch {
    // ENOENT: none of them exists any more
  }
  return result;
}
