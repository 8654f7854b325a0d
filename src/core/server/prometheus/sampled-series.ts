// The newest sampled values grouped by series name, for the families that map Vigil's series
// to Prometheus ones. Keys are parsed once and remembered: the same few hundred come back at
// every scrape.
import { type MetricsTick, parseSeriesKey } from '../../../shared/contract.ts';
import type { SampledSeries, SampledValue } from './exporter-sources.ts';

/** Past this many remembered keys the memory starts over (series that came and went). */
const MAX_REMEMBERED_KEYS = 20_000;

export class SampledSeriesIndex {
  private readonly parsed = new Map<string, { name: string; labels: Record<string, string> } | null>();

  /** The values of `tick` by series name; `wanted` says which names to keep (prefixes). */
  group(tick: MetricsTick, wanted: (name: string) => boolean): SampledSeries {
    const byName = new Map<string, SampledValue[]>();
    if (this.parsed.size > MAX_REMEMBERED_KEYS) this.parsed.clear();
    for (const [key, value] of Object.entries(tick.values)) {
      let series = this.parsed.get(key);
      if (series === undefined) {
        try {
          series = parseSeriesKey(key);
        } catch {
          series = null; // not a key seriesKey() made: nothing to map it to
        }
        this.parsed.set(key, series);
      }
      if (!series || !wanted(series.name) || !Number.isFinite(value)) continue;
      const list = byName.get(series.name);
      if (list) list.push({ labels: series.labels, value });
      else byName.set(series.name, [{ labels: series.labels, value }]);
    }
    return byName;
  }
}
