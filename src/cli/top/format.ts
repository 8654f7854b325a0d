// How `vigil top` writes numbers in narrow cells: every figure fits a known width (5 or 6
// columns), so the table's columns never move as the values change. "-" when there is none.
import { formatDuration } from '../../renderer/format.ts';

const NONE = '-';

const BYTE_UNITS = ['B', 'K', 'M', 'G', 'T', 'P'];

/** 0 -> "0B", 1536 -> "1.5K", 123456789 -> "118M", at most 5 columns (binary units, as top). */
export function compactBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return NONE;
  let value = bytes;
  let unit = 0;
  // 1000 and up takes a unit more: "1000K" would be 5 digits and one column too many.
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? value.toFixed(0) : value.toFixed(1);
  return `${digits}${BYTE_UNITS[unit]}`;
}

/** A rate: "1.2M/s"; at most 7 columns. */
export function compactRate(bytesPerSecond: number | null | undefined): string {
  const bytes = compactBytes(bytesPerSecond);
  return bytes === NONE ? NONE : `${bytes}/s`;
}

/** CPU and usage percentages: "0.4", "42.1", "250" (a service's tree may use several cores). */
export function compactPercent(percent: number | null | undefined): string {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return NONE;
  const p = Math.max(0, percent);
  return p >= 99.95 ? p.toFixed(0) : p.toFixed(1);
}

/** Availability: "100%" only when nothing was down; otherwise rounded down ("99.9%"), so a
 * short outage never reads as a clean 100%. */
export function availabilityPercent(percent: number | null | undefined): string {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return NONE;
  if (percent >= 100) return '100%';
  return `${(Math.floor(percent * 10) / 10).toFixed(1)}%`;
}

/** Uptime without spaces: "45s", "3m07s", "2h05m", "3d4h"; at most 6 columns below 100 days. */
export function compactDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NONE;
  return formatDuration(ms).replace(' ', '');
}

/** A health check's answer time: "8ms", "120ms", "1.5s". */
export function latency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return NONE;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
}

/** Load averages keep two decimals below 10, as uptime(1) prints them. */
export function loadAverage(load: number | null | undefined): string {
  if (load === null || load === undefined || !Number.isFinite(load)) return NONE;
  return load < 10 ? load.toFixed(2) : load.toFixed(1);
}
