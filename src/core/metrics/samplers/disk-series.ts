// Disk series from per-mount usage and cumulative bytes read and written, on any OS.
import { seriesKey } from '../../../shared/metrics.ts';
import { CounterRates } from './counter-rates.ts';
import type { SampleOut } from './sample.ts';

export interface MountUsage {
  mount: string;
  sizeBytes: number;
  usedBytes: number;
  /** As `df` shows it: used / (used + available to ordinary users), so a disk whose space
   * left is reserved for root reads 100 %. */
  usedPercent: number;
}

/** Bytes read from and written to the machine's disks since boot. */
export interface DiskBytes {
  readBytes: number;
  writtenBytes: number;
}

export function writeMountSeries(mounts: MountUsage[], out: SampleOut): void {
  for (const m of mounts) {
    const labels = { mount: m.mount };
    out(seriesKey('system_disk_used_bytes', labels), m.usedBytes, 'gauge');
    out(seriesKey('system_disk_size_bytes', labels), m.sizeBytes, 'gauge');
    out(seriesKey('system_disk_used_percent', labels), m.usedPercent, 'gauge');
  }
}

export class DiskRates {
  private readonly rates = new CounterRates();

  sample(bytes: DiskBytes, mono: number, out: SampleOut): void {
    const read = this.rates.rate('read', bytes.readBytes, mono);
    const write = this.rates.rate('write', bytes.writtenBytes, mono);
    if (read !== null) out('system_disk_read_bytes_per_second', read, 'gauge');
    if (write !== null) out('system_disk_write_bytes_per_second', write, 'gauge');
  }
}
