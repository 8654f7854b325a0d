// Turns the samples scraped from one service into Vigil series: the names are kept, the labels
// gain service="<name>", and a label the app named "service" itself becomes
// "exported_service" (as Prometheus does with honor_labels: false). At most `maxSeries`
// distinct series are kept per service: a label with unbounded values (a request id, a full
// URL) would otherwise grow the history without end.
import { type SeriesKind, seriesKey } from '../../../shared/metrics.ts';
import type { PrometheusSample } from './prometheus-text.ts';
import type { Sample } from './sample.ts';

export interface ScrapedBatch {
  samples: Sample[];
  /** Series refused by the cap in this batch (new series past `maxSeries`). */
  dropped: string[];
}

export class ScrapedSeries {
  private readonly service: string;
  private readonly maxSeries: number;
  private readonly kept = new Set<string>();

  constructor(service: string, maxSeries: number) {
    this.service = service;
    this.maxSeries = maxSeries;
  }

  get count(): number {
    return this.kept.size;
  }

  convert(samples: PrometheusSample[]): ScrapedBatch {
    const batch: ScrapedBatch = { samples: [], dropped: [] };
    for (const sample of samples) {
      // NaN (a summary with no observations yet) and infinities are no point on a chart, and
      // JSON, which carries live ticks, has no way to write them.
      if (!Number.isFinite(sample.value)) continue;
      const key = seriesKey(sample.name, this.withServiceLabel(sample.labels));
      if (!this.kept.has(key)) {
        if (this.kept.size >= this.maxSeries) {
          batch.dropped.push(key);
          continue;
        }
        this.kept.add(key);
      }
      const kind: SeriesKind = sample.cumulative ? 'counter' : 'gauge';
      batch.samples.push({ key, value: sample.value, kind });
    }
    return batch;
  }

  private withServiceLabel(labels: Record<string, string>): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [name, value] of Object.entries(labels)) {
      let target = name;
      // exported_service may be taken too: Prometheus keeps prefixing until the name is free.
      while (target === 'service' || (target !== name && Object.hasOwn(labels, target))) target = `exported_${target}`;
      result[target] = value;
    }
    result.service = this.service;
    return result;
  }
}
