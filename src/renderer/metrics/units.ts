// How chart values are written: per unit, short enough for an axis label and a sparkline's
// cell in a 420 px window. Pure.

export type Unit = 'percent' | 'bytes' | 'bytes-per-second' | 'ms';

const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** Three significant digits at most: 0.42, 4.2, 42, 420. */
function short(n: number): string {
  const abs = Math.abs(n);
  if (abs === 0) return '0';
  if (abs >= 100) return String(Math.round(n));
  if (abs >= 10) return n.toFixed(1).replace(/\.0$/, '');
  return n.toFixed(2).replace(/\.?0+$/, '');
}

/** Binary units, switching up at 1000 rather than 1024 so that a figure never takes four
 * digits ("0.98 MiB", not "1000 KiB"). */
function bytes(n: number): string {
  let value = n;
  let i = 0;
  while (Math.abs(value) >= 1000 && i < BINARY.length - 1) {
    value /= 1024;
    i++;
  }
  return `${short(value)} ${BINARY[i]}`;
}

export function formatValue(value: number | null, unit: Unit): string {
  if (value === null || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'percent':
      return `${short(value)} %`;
    case 'bytes':
      return bytes(value);
    case 'bytes-per-second':
      return `${bytes(value)}/s`;
    case 'ms':
      return Math.abs(value) >= 1000 ? `${short(value / 1000)} s` : `${short(value)} ms`;
  }
}

/** An availability figure: "99.95 %", "100 %"; "—" without data. Two decimals below 100, since
 * 99.9 and 99.99 are a day's and an hour's worth of difference in a week. */
export function formatAvailability(percent: number | null): string {
  if (percent === null || !Number.isFinite(percent)) return '—';
  if (percent >= 100) return '100 %';
  return `${(Math.floor(percent * 100) / 100).toFixed(2)} %`;
}
