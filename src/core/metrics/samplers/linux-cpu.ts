// Cumulative CPU times from /proc/stat: the "cpu" line for the machine, "cpuN" for each core.
// Columns: user nice system idle iowait irq softirq steal guest guest_nice, in ticks; guest
// time is already counted in user, so the first eight make up the total.
import type { CpuTimes } from './cpu-load.ts';
import type { ProcFileReader } from './proc-file-reader.ts';

export function readLinuxCpuTimes(reader: ProcFileReader, file = '/proc/stat'): CpuTimes | null {
  const text = reader.text(file);
  if (text === null) return null;
  const times: CpuTimes = { cores: [], busy: [], total: [] };
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) {
      if (times.busy.length > 0) break; // the cpu lines come first and together
      continue;
    }
    const fields = line.split(/\s+/);
    const name = fields[0]!;
    let total = 0;
    for (let i = 1; i <= 8 && i < fields.length; i++) total += Number(fields[i]);
    const idle = Number(fields[4]) + Number(fields[5] ?? 0);
    if (name === 'cpu') {
      times.busy.unshift(total - idle);
      times.total.unshift(total);
    } else {
      times.cores.push(Number(name.slice(3)));
      times.busy.push(total - idle);
      times.total.push(total);
    }
  }
  return times.busy.length === times.cores.length + 1 ? times : null;
}
