// The machine's numbers where there is no /proc (macOS, Windows). CPU and load come from
// Node's os module on every tick (no child process). Memory, swap and network come from
// systeminformation, which runs a program per call there (vm_stat and sysctl, netstat;
// PowerShell on Windows), so they are read at most every `spawnIntervalMs` (5 s by default)
// however fast the ticks are; disks and temperatures come from it at the slow rate.
// systeminformation is loaded on first use only: Linux never loads it.
import os from 'node:os';
import { CpuLoad, type CpuTimes } from './cpu-load.ts';
import { DiskRates, type MountUsage, writeMountSeries } from './disk-series.ts';
import { writeMemorySeries } from './memory-series.ts';
import { NetworkRates } from './network-series.ts';
import type { SampleOut, TickTime } from './sample.ts';
import { type SystemSource, writeLoadSeries } from './system-source.ts';
import { type TemperatureReading, writeTemperatureSeries } from './temperature-series.ts';

type SystemInformation = typeof import('systeminformation');

let loading: Promise<SystemInformation> | null = null;
function systemInformation(): Promise<SystemInformation> {
  loading ??= import('systeminformation').then((m) => ((m as { default?: SystemInformation }).default ?? m) as SystemInformation);
  return loading;
}

export function readOsCpuTimes(): CpuTimes {
  const times: CpuTimes = { cores: [], busy: [0], total: [0] };
  os.cpus().forEach((cpu, core) => {
    const { user, nice, sys, idle, irq } = cpu.times;
    const total = user + nice + sys + idle + irq;
    times.cores.push(core);
    times.busy.push(total - idle);
    times.total.push(total);
    times.busy[0]! += total - idle;
    times.total[0]! += total;
  });
  return times;
}

export interface PortableSystemOptions {
  spawnIntervalMs?: number;
}

export class PortableSystemSource implements SystemSource {
  readonly description: string;
  private readonly cpu = new CpuLoad();
  private readonly network = new NetworkRates();
  private readonly disks = new DiskRates();
  private readonly spawnIntervalMs: number;
  private lastSpawnedAt = Number.NEGATIVE_INFINITY;

  constructor(options: PortableSystemOptions = {}) {
    this.spawnIntervalMs = options.spawnIntervalMs ?? 5000;
    this.description = `os.cpus() and os.loadavg() every tick; systeminformation mem() and networkStats() every ${this.spawnIntervalMs / 1000} s, fsSize(), fsStats() and cpuTemperature() at the slow rate`;
  }

  async sampleFast(time: TickTime, out: SampleOut): Promise<void> {
    this.cpu.sample(readOsCpuTimes(), out);
    writeLoadSeries(out);
    if (time.mono - this.lastSpawnedAt < this.spawnIntervalMs) return;
    this.lastSpawnedAt = time.mono;
    const si = await systemInformation();
    const [memory, interfaces] = await Promise.all([si.mem(), si.networkStats('*')]);
    writeMemorySeries({ totalBytes: memory.total, availableBytes: memory.available, swapTotalBytes: memory.swaptotal, swapFreeBytes: memory.swapfree }, out);
    this.network.sample(
      interfaces.map((i) => ({ name: i.iface, rxBytes: i.rx_bytes, txBytes: i.tx_bytes })),
      time.mono,
      out,
    );
  }

  async sampleSlow(time: TickTime, out: SampleOut): Promise<void> {
    const si = await systemInformation();
    const [filesystems, io, temperature] = await Promise.all([si.fsSize(), si.fsStats(), si.cpuTemperature()]);
    const mounts: MountUsage[] = filesystems
      .filter((f) => f.size > 0 && f.mount)
      .map((f) => ({ mount: f.mount, sizeBytes: f.size, usedBytes: f.used, usedPercent: f.use }));
    writeMountSeries(mounts, out);
    // fsStats() answers null on Windows, where systeminformation has no byte counts.
    if (io && Number.isFinite(io.rx) && Number.isFinite(io.wx)) this.disks.sample({ readBytes: io.rx, writtenBytes: io.wx }, time.mono, out);
    writeTemperatureSeries(temperaturesOf(temperature), out);
  }
}

/** systeminformation answers null (or -1 on some versions) for a sensor it could not read;
 * macOS needs an optional native module for any reading at all. */
function temperaturesOf(data: { main: number | null; cores: (number | null)[] }): TemperatureReading[] {
  const readings: TemperatureReading[] = [];
  const add = (sensor: string, value: number | null | undefined) => {
    if (typeof value === 'number' && value > 0 && value < 150) readings.push({ sensor, celsius: value });
  };
  add('cpu', data.main);
  data.cores.forEach((value, core) => add(`core ${core}`, value));
  return readings;
}
