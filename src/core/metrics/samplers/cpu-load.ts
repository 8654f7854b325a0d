// CPU use as the share of time not idle between two readings of cumulative CPU times, for
// the machine and for each core. Both /proc/stat (Linux) and os.cpus() (elsewhere) give such
// cumulative times; only the deltas mean anything.
import { seriesKey } from '../../../shared/metrics.ts';
import type { SampleOut } from './sample.ts';

/** Cumulative CPU times of one tick: index 0 the whole machine, then one per core. */
export interface CpuTimes {
  /** Core numbers as the OS names them (a machine with a core offline has gaps). */
  cores: number[];
  busy: number[];
  total: number[];
}

export class CpuLoad {
  private previous: CpuTimes | null = null;
  private readonly coreKeys = new Map<number, string>();

  /** Writes system_cpu_percent and system_cpu_core_percent{core} for the time since the last
   * reading; nothing on the first one. */
  sample(times: CpuTimes, out: SampleOut): void {
    const before = this.previous;
    this.previous = times;
    if (!before) return;
    const machine = percent(times.busy[0]! - before.busy[0]!, times.total[0]! - before.total[0]!);
    if (machine !== null) out('system_cpu_percent', machine, 'gauge');
    for (let i = 0; i < times.cores.length; i++) {
      const core = times.cores[i]!;
      // The same core at the same index, unless a core went on or offline in between.
      if (before.cores[i] !== core) continue;
      const value = percent(times.busy[i + 1]! - before.busy[i + 1]!, times.total[i + 1]! - before.total[i + 1]!);
      if (value !== null) out(this.coreKey(core), value, 'gauge');
    }
  }

  private coreKey(core: number): string {
    let key = this.coreKeys.get(core);
    if (key === undefined) {
      key = seriesKey('system_cpu_core_percent', { core: String(core) });
      this.coreKeys.set(core, key);
    }
    return key;
  }
}

function percent(busy: number, total: number): number | null {
  if (total <= 0 || busy < 0) return null; // no time passed, or the counters were reset
  return Math.min(100, (busy / total) * 100);
}
