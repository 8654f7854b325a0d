// Memory from /proc/meminfo (values in kB). Kernels before 3.14 have no MemAvailable; there
// free + buffers + cached is the usual stand-in.
import type { MemoryReading } from './memory-series.ts';
import type { ProcFileReader } from './proc-file-reader.ts';

const FIELDS = ['MemTotal', 'MemFree', 'MemAvailable', 'Buffers', 'Cached', 'SwapTotal', 'SwapFree'] as const;
type Field = (typeof FIELDS)[number];

export function readLinuxMemory(reader: ProcFileReader, file = '/proc/meminfo'): MemoryReading | null {
  const text = reader.text(file);
  if (text === null) return null;
  const kb: Partial<Record<Field, number>> = {};
  for (const field of FIELDS) {
    const at = lineStart(text, `${field}:`);
    if (at >= 0) kb[field] = Number.parseInt(text.slice(at + field.length + 1, text.indexOf('\n', at)), 10);
  }
  if (kb.MemTotal === undefined) return null;
  const available = kb.MemAvailable ?? (kb.MemFree ?? 0) + (kb.Buffers ?? 0) + (kb.Cached ?? 0);
  return {
    totalBytes: kb.MemTotal * 1024,
    availableBytes: available * 1024,
    swapTotalBytes: (kb.SwapTotal ?? 0) * 1024,
    swapFreeBytes: (kb.SwapFree ?? 0) * 1024,
  };
}

/** Where the line starting with `label` begins ("Cached:" must not match "SwapCached:"). */
function lineStart(text: string, label: string): number {
  if (text.startsWith(label)) return 0;
  const at = text.indexOf(`\n${label}`);
  return at < 0 ? -1 : at + 1;
}
