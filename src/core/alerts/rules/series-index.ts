// Which bindings read which series key, worked out once per key: a key's name and labels are
// parsed the first time it appears, matched against the rules indexed under its name, and
// cached. A tick then costs one map lookup per key, plus the work of the bindings that read it
// (none, for most keys). Keys that stop appearing go stale (their alerts let go, as
// Prometheus' five-minute staleness), then are forgotten.
import type { RuleVerdict } from '../../../shared/alerts.ts';
import type { MetricsTick } from '../../../shared/metrics.ts';
import { parseSeriesKey } from '../../../shared/metrics.ts';
import type { RuleResult } from './rule-context.ts';
import type { SeriesBinding, SeriesRule } from './series-rule.ts';

/** A series without a value for this long lets its alerts go ("no data"). Samplers read disks
 * every 10 s and scrape services at their own interval, so a tick need not carry every key. */
export const STALE_AFTER_MS = 5 * 60_000;
/** No tick for this long means the engine or the machine was paused (asleep): the sampler ticks
 * every 10 s when idle. Pending alerts then start their `for` over, so that the time asleep
 * does not count as time in breach. */
export const WAKE_GAP_MS = 60_000;
/** A key unseen for this long is forgotten (its bindings and their baselines). */
export const FORGET_AFTER_MS = 60 * 60_000;
const SWEEP_EVERY_MS = 60_000;

interface Entry {
  bindings: SeriesBinding[];
  lastSeen: number;
}

const NONE: SeriesBinding[] = [];

export class SeriesIndex {
  private readonly byName = new Map<string, SeriesRule[]>();
  private readonly entries = new Map<string, Entry>();
  /** Entries with at least one active binding, checked for staleness at every tick. */
  private readonly watched = new Set<Entry>();
  private lastSweep = 0;
  private lastTick: number | null = null;

  constructor(rules: readonly SeriesRule[]) {
    for (const rule of rules) {
      const list = this.byName.get(rule.seriesName);
      if (list) list.push(rule);
      else this.byName.set(rule.seriesName, [rule]);
    }
  }

  observe(tick: MetricsTick, out: RuleResult): void {
    const t = tick.t;
    const values = tick.values;
    if (this.lastTick !== null && t - this.lastTick > WAKE_GAP_MS) this.resume(t);
    this.lastTick = t;
    for (const key in values) {
      const value = values[key]!;
      if (!Number.isFinite(value)) continue;
      const entry = this.entries.get(key) ?? this.add(key);
      entry.lastSeen = t;
      const bindings = entry.bindings;
      for (let i = 0; i < bindings.length; i++) {
        const binding = bindings[i]!;
        binding.observe(value, t, tick, out);
        if (binding.active) this.watched.add(entry);
      }
    }
    // Open alerts whose series this tick did not carry (disks are read every 10 s, scrapes at
    // their own pace): listed as last seen, or let go once stale.
    for (const entry of this.watched) {
      if (entry.lastSeen !== t) {
        const stale = t - entry.lastSeen >= STALE_AFTER_MS;
        for (const binding of entry.bindings) {
          if (!binding.active) continue;
          if (stale) binding.stale(t, out);
          else {
            const verdict = binding.current();
            if (verdict) out.verdicts.push(verdict);
          }
        }
      }
      if (!entry.bindings.some((b) => b.active)) this.watched.delete(entry);
    }
    if (t - this.lastSweep >= SWEEP_EVERY_MS) this.sweep(t);
  }

  /** The verdicts of every active binding, as last reported. */
  currentVerdicts(): RuleVerdict[] {
    const out: RuleVerdict[] = [];
    for (const entry of this.watched) {
      for (const binding of entry.bindings) {
        const verdict = binding.current();
        if (verdict) out.push(verdict);
      }
    }
    return out;
  }

  private add(key: string): Entry {
    let bindings = NONE;
    const rules = this.byName.get(nameOf(key));
    if (rules) {
      try {
        const { labels, name } = parseSeriesKey(key);
        bindings = [];
        for (const rule of rules) {
          if (rule.seriesName !== name) continue;
          const binding = rule.bind(key, labels);
          if (binding) bindings.push(binding);
        }
      } catch {
        // A malformed key (a scraped series the sampler let through) is read by no rule.
      }
    }
    const entry: Entry = { bindings, lastSeen: 0 };
    this.entries.set(key, entry);
    return entry;
  }

  private resume(t: number): void {
    for (const entry of this.entries.values()) for (const binding of entry.bindings) binding.resume?.(t);
    // Series last seen before the gap are not stale for having slept.
    for (const entry of this.entries.values()) if (entry.lastSeen > 0) entry.lastSeen = Math.max(entry.lastSeen, t - STALE_AFTER_MS / 2);
  }

  private sweep(t: number): void {
    this.lastSweep = t;
    for (const [key, entry] of this.entries) {
      if (t - entry.lastSeen < FORGET_AFTER_MS || this.watched.has(entry)) continue;
      for (const binding of entry.bindings) binding.forget?.();
      this.entries.delete(key);
    }
  }
}

function nameOf(key: string): string {
  const brace = key.indexOf('{');
  return brace < 0 ? key : key.slice(0, brace);
}
