// The last few minutes of the series `vigil top` draws as sparklines, and the latest value of
// every series: filled from a history query at start, then from each live tick. Immutable:
// every change returns a new window, so the screen model stays a plain value.
import type { MetricsQueryResult, MetricsTick } from '../../shared/contract.ts';

export interface Sample {
  t: number;
  v: number;
}

export interface SampleWindow {
  /** How far back samples are kept, in ms. */
  readonly keepMs: number;
  /** Which series keep their recent samples (the others only their latest value). */
  readonly keeps: (key: string) => boolean;
  readonly recent: ReadonlyMap<string, readonly Sample[]>;
  readonly latest: ReadonlyMap<string, Sample>;
}

export function emptyWindow(keepMs: number, keeps: (key: string) => boolean): SampleWindow {
  return { keepMs, keeps, recent: new Map(), latest: new Map() };
}

function withSamples(window: SampleWindow, incoming: Map<string, Sample[]>, now: number): SampleWindow {
  const cutoff = now - window.keepMs;
  const recent = new Map<string, readonly Sample[]>();
  const latest = new Map(window.latest);
  for (const [key, samples] of window.recent) {
    if (!incoming.has(key)) recent.set(key, samples.filter((s) => s.t >= cutoff));
  }
  for (const [key, added] of incoming) {
    const last = added.at(-1);
    if (last && (latest.get(key)?.t ?? Number.NEGATIVE_INFINITY) <= last.t) latest.set(key, last);
    if (!window.keeps(key)) continue;
    // Merged by time: a history answer may overlap the ticks that came while it was on its way.
    const byTime = new Map<number, number>();
    for (const s of window.recent.get(key) ?? []) byTime.set(s.t, s.v);
    for (const s of added) byTime.set(s.t, s.v);
    const merged = [...byTime].filter(([t]) => t >= cutoff).sort((a, b) => a[0] - b[0]);
    recent.set(key, merged.map(([t, v]) => ({ t, v })));
  }
  return { ...window, recent, latest };
}

/** One live tick: every value it carries becomes that series' latest. */
export function addTick(window: SampleWindow, tick: MetricsTick): SampleWindow {
  const incoming = new Map<string, Sample[]>();
  for (const [key, v] of Object.entries(tick.values)) {
    if (Number.isFinite(v)) incoming.set(key, [{ t: tick.t, v }]);
  }
  return withSamples(window, incoming, tick.t);
}

/** A history answer (GET /api/metrics/query): each point's average. */
export function addHistory(window: SampleWindow, results: readonly MetricsQueryResult[], now: number): SampleWindow {
  const incoming = new Map<string, Sample[]>();
  for (const result of results) {
    incoming.set(
      result.series,
      result.points.filter(([, avg]) => Number.isFinite(avg)).map(([t, avg]) => ({ t, v: avg })),
    );
  }
  return withSamples(window, incoming, now);
}

/** The latest value of a series if it is no older than `maxAgeMs`. */
export function latestValue(window: SampleWindow, key: string, now: number, maxAgeMs: number): number | null {
  const sample = window.latest.get(key);
  return sample && now - sample.t <= maxAgeMs ? sample.v : null;
}

/**
 * The samples of the last `count` buckets of `bucketMs` each, oldest first, the newest holding
 * `now`. Buckets start at multiples of `bucketMs`, so a sample stays in its bucket from one
 * frame to the next and the line moves left one character per bucket instead of jittering.
 * Each bucket shows its highest sample (a one-second spike stays visible when a bucket spans
 * several samples). A bucket with no sample takes the one before it while that is less than
 * `holdMs` old (the engine samples every 10 s while nobody looks, every second while somebody
 * does); after that, or before the first sample, it is null: a gap.
 */
export function buckets(window: SampleWindow, key: string, now: number, bucketMs: number, count: number, holdMs: number): (number | null)[] {
  const samples = window.recent.get(key) ?? [];
  const out: (number | null)[] = new Array(count).fill(null);
  const start = (Math.ceil(now / bucketMs) - count) * bucketMs;
  let i = 0;
  let held: Sample | null = null;
  while (i < samples.length && samples[i]!.t <= start) held = samples[i++]!;
  for (let b = 0; b < count; b++) {
    const end = start + (b + 1) * bucketMs;
    let high: number | null = null;
    while (i < samples.length && samples[i]!.t <= end) {
      const s = samples[i++]!;
      high = high === null ? s.v : Math.max(high, s.v);
      held = s;
    }
    if (high !== null) out[b] = high;
    // Held while the sample was still current at some moment of this bucket.
    else if (held && held.t + holdMs > end - bucketMs) out[b] = held.v;
  }
  return out;
}
