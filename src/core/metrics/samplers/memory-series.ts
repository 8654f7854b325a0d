// Memory and swap series from totals in bytes, whichever way the OS gave them.
import type { SampleOut } from './sample.ts';

export interface MemoryReading {
  totalBytes: number;
  /** What programs can still get without swapping (Linux's MemAvailable): total minus this
   * is "used", as `free` and Activity Monitor's memory pressure count it, not minus the
   * nearly-zero free pages. */
  availableBytes: number;
  swapTotalBytes: number;
  swapFreeBytes: number;
}

export function writeMemorySeries(m: MemoryReading, out: SampleOut): void {
  const used = Math.max(0, m.totalBytes - m.availableBytes);
  out('system_memory_used_bytes', used, 'gauge');
  out('system_memory_total_bytes', m.totalBytes, 'gauge');
  if (m.totalBytes > 0) out('system_memory_percent', (used / m.totalBytes) * 100, 'gauge');
  const swapUsed = Math.max(0, m.swapTotalBytes - m.swapFreeBytes);
  out('system_swap_used_bytes', swapUsed, 'gauge');
  // No swap configured: a percentage of nothing would be noise on a chart.
  if (m.swapTotalBytes > 0) out('system_swap_percent', (swapUsed / m.swapTotalBytes) * 100, 'gauge');
}
