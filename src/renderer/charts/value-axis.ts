// Value-axis ticks for byte units: round numbers of KiB, MiB, GiB (0, 100 MiB, 200 MiB)
// rather than chart.js's round numbers of bytes, which read 95.4 MiB, 190.7 MiB. Pure.

const BINARY_STEP = 1024;
const NICE = [1, 2, 2.5, 5, 10];

/** A round step near `rough`: 1, 2, 2.5 or 5 times a power of ten. */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const n of NICE) if (n * power >= rough) return n * power;
  return 10 * power;
}

/** Ticks from 0 to at least `max`, at most about `maxTicks` of them, on round numbers of the
 * binary unit that `max` is written in (as formatValue writes it: under 1000 of the unit). */
export function byteTicks(max: number, maxTicks: number): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0];
  let unit = 1;
  while (max / unit >= 1000) unit *= BINARY_STEP;
  const step = niceStep(max / unit / Math.max(1, maxTicks)) * unit;
  const ticks: number[] = [];
  for (let i = 0; i * step < max + step * 1e-9; i++) ticks.push(i * step);
  if (ticks.at(-1)! < max) ticks.push(ticks.length * step);
  return ticks;
}
