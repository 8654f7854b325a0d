// The units /proc counts in. CPU times are in USER_HZ ticks, which the kernel fixes at 100 for
// user space on every architecture Node runs on (only alpha and ia64 differ), so no `getconf`
// child is needed. Memory in /proc/PID/stat is in pages, and pages are not always 4 KiB
// (arm64 kernels run with 16 or 64 KiB): the size comes from the kernel's auxiliary vector.
import { readFileSync } from 'node:fs';
import os from 'node:os';

export const TICKS_PER_SECOND = 100;

const AT_PAGESZ = 6;

let pageSize: number | undefined;

/** The system's page size in bytes, read once from /proc/self/auxv (4096 if unreadable). */
export function linuxPageSize(): number {
  pageSize ??= readPageSize() ?? 4096;
  return pageSize;
}

function readPageSize(): number | null {
  try {
    // Pairs of native-endian unsigned longs (type, value), ended by type 0; 8 bytes each on
    // the 64-bit systems Node supports.
    const auxv = readFileSync('/proc/self/auxv');
    const little = os.endianness() === 'LE';
    for (let i = 0; i + 16 <= auxv.length; i += 16) {
      const type = little ? auxv.readBigUInt64LE(i) : auxv.readBigUInt64BE(i);
      if (type === 0n) break;
      if (type === BigInt(AT_PAGESZ)) return Number(little ? auxv.readBigUInt64LE(i + 8) : auxv.readBigUInt64BE(i + 8));
    }
  } catch {
    // not Linux, or /proc not mounted
  }
  return null;
}
