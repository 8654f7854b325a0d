// Each service's whole process tree on Linux, from /proc: CPU, RSS and threads summed over
// the root and every descendant. Reading one process costs one small file (/proc/PID/stat);
// finding the tree costs more (a children file per thread, or a scan of /proc), so the tree
// is found again only every `treeRefreshMs` and in between the known members are re-read.
// A process once counted stays counted while it lives, even if it is re-parented (its
// parent exited; a daemon that double-forked): it is still the service's doing.
import { newProcessStat, readProcessStat } from './linux-process-stat.ts';
import { LinuxProcessTree, type TreeMethod } from './linux-process-tree.ts';
import { linuxPageSize, TICKS_PER_SECOND } from './linux-units.ts';
import { ProcFileReader, readUnsigned } from './proc-file-reader.ts';
import type { SampleOut, TickTime } from './sample.ts';
import { cpuPercentSince, type ServiceProcess, type ServiceTreeSampler, type TreeSeriesKeys, treeSeriesKeys, writeTreeUsage } from './service-trees.ts';

interface Member {
  statFile: string;
  startTicks: number;
  /** utime + stime at the last tick it was read. */
  cpuTicks: number;
}

interface Tracked {
  keys: TreeSeriesKeys;
  root: number;
  /** Root first; insertion order is discovery order. */
  members: Map<number, Member>;
  treeFoundAt: number;
  /** When the last sample was taken (monotonic ms, and the kernel's uptime in ticks). */
  lastMono: number | null;
  lastUptimeTicks: number;
  /** The root exited: nothing to read until setServices names a new one. */
  gone: boolean;
}

export interface LinuxServiceTreesOptions {
  procRoot?: string;
  method?: TreeMethod;
  /** How often the tree is looked for again. Default: 5 s with children files, 10 s when the
   * whole of /proc has to be scanned. */
  treeRefreshMs?: number;
}

export class LinuxServiceTrees implements ServiceTreeSampler {
  readonly description: string;
  private readonly reader = new ProcFileReader();
  private readonly tree: LinuxProcessTree;
  private readonly procRoot: string;
  private readonly treeRefreshMs: number;
  private readonly pageSize = linuxPageSize();
  private readonly stat = newProcessStat();
  private services = new Map<string, Tracked>();

  constructor(options: LinuxServiceTreesOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.tree = new LinuxProcessTree(this.reader, { procRoot: this.procRoot, method: options.method });
    this.treeRefreshMs = options.treeRefreshMs ?? (this.tree.method === 'children-file' ? 5000 : 10_000);
    this.description = `Linux: /proc/PID/stat per process; trees from ${this.tree.method === 'children-file' ? '/proc/PID/task/*/children' : 'a scan of /proc'} every ${this.treeRefreshMs / 1000} s`;
  }

  get method(): TreeMethod {
    return this.tree.method;
  }

  setServices(services: ServiceProcess[]): void {
    const next = new Map<string, Tracked>();
    for (const { name, pid } of services) {
      if (pid === null) continue;
      const known = this.services.get(name);
      // Same root: keep what was learnt (members, last CPU reading); a new root starts over.
      if (known && known.root === pid && !known.gone) next.set(name, known);
      else {
        const keys = known?.keys ?? treeSeriesKeys(name);
        next.set(name, { keys, root: pid, members: new Map(), treeFoundAt: Number.NEGATIVE_INFINITY, lastMono: null, lastUptimeTicks: 0, gone: false });
      }
    }
    this.services = next;
  }

  pidsOf(name: string): number[] {
    return [...(this.services.get(name)?.members.keys() ?? [])];
  }

  sample(time: TickTime, out: SampleOut): void {
    if (this.services.size === 0) return;
    const uptimeTicks = this.readUptimeTicks();
    this.findTrees(time.mono);
    for (const tracked of this.services.values()) if (!tracked.gone) this.sampleOne(tracked, time.mono, uptimeTicks, out);
  }

  /** Finds the trees that are due, all in one pass (one /proc scan serves every service). */
  private findTrees(mono: number): void {
    const due = [...this.services.values()].filter((s) => !s.gone && (s.members.size === 0 || mono - s.treeFoundAt >= this.treeRefreshMs));
    if (due.length === 0) return;
    const found = this.tree.descendants(due.map((s) => s.root));
    for (const tracked of due) {
      tracked.treeFoundAt = mono;
      for (const pid of [tracked.root, ...(found.get(tracked.root) ?? [])]) {
        if (!tracked.members.has(pid)) tracked.members.set(pid, { statFile: `${this.procRoot}/${pid}/stat`, startTicks: -1, cpuTicks: -1 });
      }
    }
  }

  private sampleOne(tracked: Tracked, mono: number, uptimeTicks: number, out: SampleOut): void {
    const stat = this.stat;
    let cpuTicks = 0;
    let rssPages = 0;
    let threads = 0;
    let processes = 0;
    for (const [pid, member] of tracked.members) {
      const alive = readProcessStat(this.reader, member.statFile, stat) && !stat.zombie;
      if (!alive || (member.startTicks >= 0 && stat.startTicks !== member.startTicks)) {
        tracked.members.delete(pid); // exited, or the pid now belongs to another process
        continue;
      }
      if (member.cpuTicks >= 0) {
        cpuTicks += Math.max(0, stat.cpuTicks - member.cpuTicks);
      } else if (tracked.lastMono !== null && stat.startTicks >= tracked.lastUptimeTicks) {
        // Started since the last tick: all of its CPU time falls in this interval.
        cpuTicks += stat.cpuTicks;
      }
      member.startTicks = stat.startTicks;
      member.cpuTicks = stat.cpuTicks;
      rssPages += stat.rssPages;
      threads += stat.threads;
      processes++;
    }
    if (!tracked.members.has(tracked.root)) {
      // The root is gone: no sample, and no more looking for its tree (a scan of /proc every
      // tick for a dead pid) until the supervisor names the next root.
      tracked.members.clear();
      tracked.gone = true;
      return;
    }
    const cpuPercent = cpuPercentSince(cpuTicks / TICKS_PER_SECOND, tracked.lastMono, mono);
    tracked.lastMono = mono;
    tracked.lastUptimeTicks = uptimeTicks;
    writeTreeUsage(tracked.keys, { cpuPercent, rssBytes: rssPages * this.pageSize, threads, processes }, out);
  }

  /** Seconds since boot from /proc/uptime, in ticks, to compare with a process's start. */
  private readUptimeTicks(): number {
    const end = this.reader.read(`${this.procRoot}/uptime`);
    if (end <= 0) return 0;
    const bytes = this.reader.bytes;
    const whole = readUnsigned(bytes, 0, end);
    const dot = bytes.indexOf(46, 0); // '.'
    const hundredths = dot > 0 && dot < end ? readUnsigned(bytes, dot + 1, Math.min(end, dot + 3)) : 0;
    return whole * TICKS_PER_SECOND + Math.max(0, hundredths);
  }
}
