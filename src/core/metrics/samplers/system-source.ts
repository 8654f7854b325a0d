// Where the machine's own numbers come from. Two implementations: LinuxSystemSource reads
// /proc and /sys in this process (no child process at any rate); PortableSystemSource uses
// Node's os module on every tick and systeminformation, which spawns a process per call on
// macOS and Windows, at slower rates.
import os from 'node:os';
import type { SampleOut, TickTime } from './sample.ts';

export interface SystemSource {
  /** Which path is in use, for the README table and for logs. */
  readonly description: string;
  /** Every tick (1 s while someone is looking): CPU, load, memory, network. */
  sampleFast(time: TickTime, out: SampleOut): void | Promise<void>;
  /** Every slow interval (10 s): disks and temperatures. */
  sampleSlow(time: TickTime, out: SampleOut): void | Promise<void>;
}

/** Load averages from os.loadavg() (the sysinfo() call on Linux, sysctl on macOS): no file,
 * no child. Windows has no load average and Node answers zeros there: no series then. */
export function writeLoadSeries(out: SampleOut): void {
  if (process.platform === 'win32') return;
  const [one, five, fifteen] = os.loadavg();
  out('system_load1', one!, 'gauge');
  out('system_load5', five!, 'gauge');
  out('system_load15', fifteen!, 'gauge');
}
