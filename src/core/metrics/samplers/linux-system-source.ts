// The machine's numbers on Linux, all from /proc and /sys in this process. systeminformation
// is not used here: on Linux its currentLoad() runs `cat /proc/stat` through a synchronous
// shell, networkStats() and disksIO() shell out to cat and lsblk, fsSize() runs df and
// cpuTemperature() a shell loop over sysfs (node_modules/systeminformation/lib/*.js).
import { CpuLoad } from './cpu-load.ts';
import { DiskRates, type MountUsage, writeMountSeries } from './disk-series.ts';
import { readLinuxCpuTimes } from './linux-cpu.ts';
import { listLinuxDiskMounts, listLinuxPhysicalDisks, measureMount, readLinuxDiskBytes } from './linux-disks.ts';
import { readLinuxMemory } from './linux-memory.ts';
import { readLinuxNetwork } from './linux-network.ts';
import { readLinuxTemperatures } from './linux-temperatures.ts';
import { writeMemorySeries } from './memory-series.ts';
import { NetworkRates } from './network-series.ts';
import { ProcFileReader } from './proc-file-reader.ts';
import type { SampleOut, TickTime } from './sample.ts';
import { type SystemSource, writeLoadSeries } from './system-source.ts';
import { writeTemperatureSeries } from './temperature-series.ts';

export interface LinuxSystemPaths {
  /** Where hwmon/ and thermal/ are; a test points this at a folder of its own. */
  sysClass?: string;
}

export class LinuxSystemSource implements SystemSource {
  readonly description = 'Linux: /proc/stat, /proc/meminfo, /proc/net/dev, /proc/diskstats, statfs, sysfs';
  private readonly reader = new ProcFileReader();
  private readonly cpu = new CpuLoad();
  private readonly network = new NetworkRates();
  private readonly disks = new DiskRates();
  private readonly sysClass: string;

  constructor(paths: LinuxSystemPaths = {}) {
    this.sysClass = paths.sysClass ?? '/sys/class';
  }

  sampleFast(time: TickTime, out: SampleOut): void {
    const cpu = readLinuxCpuTimes(this.reader);
    if (cpu) this.cpu.sample(cpu, out);
    writeLoadSeries(out);
    const memory = readLinuxMemory(this.reader);
    if (memory) writeMemorySeries(memory, out);
    const interfaces = readLinuxNetwork(this.reader);
    if (interfaces) this.network.sample(interfaces, time.mono, out);
  }

  sampleSlow(time: TickTime, out: SampleOut): void {
    const mounts: MountUsage[] = [];
    for (const mount of listLinuxDiskMounts(this.reader)) {
      const usage = measureMount(mount);
      if (usage) mounts.push(usage);
    }
    writeMountSeries(mounts, out);
    const bytes = readLinuxDiskBytes(this.reader, listLinuxPhysicalDisks());
    if (bytes) this.disks.sample(bytes, time.mono, out);
    writeTemperatureSeries(readLinuxTemperatures(this.reader, this.sysClass), out);
  }
}
