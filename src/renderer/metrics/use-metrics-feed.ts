// A MetricsFeed for a component's lifetime: made anew when its lines or range change (a new
// query), started and stopped with the component.
import { useEffect, useMemo } from 'react';
import { type LineSpec, type LiveSource, MetricsFeed, type MetricsSource } from './metrics-feed.ts';
import type { TimeRange } from './time-ranges.ts';

/** `known`: the series the history has (see MetricsFeed); null while the engine has not said,
 * when nothing is asked for yet (the feed is made again when the list comes). */
export function useMetricsFeed(source: MetricsSource, live: LiveSource, lines: readonly LineSpec[], range: TimeRange, known: ReadonlySet<string> | null): MetricsFeed {
  // Compared by what they draw and what would be asked for, so a parent's new arrays with the
  // same contents keep the feed (and its history).
  const signature = JSON.stringify([lines.map((l) => [l.id, l.keys]), known === null, lines.flatMap((l) => l.keys.filter((k) => known?.has(k)))]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `lines` and `known` are represented by the signature
  const feed = useMemo(() => new MetricsFeed({ source, live, lines, range, known: known ?? new Set() }), [source, live, signature, range]);
  useEffect(() => feed.start(), [feed]);
  return feed;
}
