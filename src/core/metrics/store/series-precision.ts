// How many decimals of a sampled value the history keeps, from the unit in the series' name.
// Vigil's own samplers produce values like 12.345678 % (a ratio of jiffies): keeping them to
// the last bit would cost ~50 bits a sample, keeping 0.01 % costs ~10 and no chart shows the
// difference. Byte counts are kept exactly: they come from the kernel in KiB or 4 KiB pages,
// and the chunk coder finds that step by itself (integer-column.ts), so exact costs nothing.
// Anything not listed (counters, scraped metrics with units we cannot guess) is kept exactly.
//
//   name ends with            kept to                       e.g.
//   _percent                  0.01 percentage points        system_cpu_percent
//   _bytes, _bytes_per_second 1 byte, 1 byte/s              service_rss_bytes
//   _celsius                  0.1 °C                        system_temperature_celsius
//   _seconds                  1 µs                          service_uptime_seconds
//   _ms                       0.01 ms                       service_health_latency_ms
//   system_load1|5|15         0.01                          (the kernel's own precision)
//   _threads, _processes      whole numbers                 service_threads
//   _total, anything else     exactly (no rounding)         service_restarts_total

const RULES: [RegExp, number][] = [
  [/_total$/, -1],
  [/_percent$/, 2],
  [/_bytes$|_bytes_per_second$/, 0],
  [/_celsius$/, 1],
  [/_seconds$/, 6],
  [/_ms$/, 2],
  [/^system_load(1|5|15)$/, 2],
  [/_threads$|_processes$/, 0],
];

/** Decimals kept for the series with this key, or null to keep its values exactly. */
export function decimalsFor(seriesKey: string): number | null {
  const brace = seriesKey.indexOf('{');
  const name = brace < 0 ? seriesKey : seriesKey.slice(0, brace);
  for (const [pattern, decimals] of RULES) if (pattern.test(name)) return decimals < 0 ? null : decimals;
  return null;
}

/** Rounds to the series' decimals (a no-op for exact series): what the store keeps. */
export function quantizer(decimals: number | null): (value: number) => number {
  if (decimals === null) return (value) => value;
  const scale = 10 ** decimals;
  return (value) => Math.round(value * scale) / scale;
}
