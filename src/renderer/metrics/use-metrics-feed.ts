// A MetricsFeed for a component's lifetime: made anew when its lines or range change (a new
// query), started and stopped with the component.
import { useEffect, useMemo } from 'react';
import { type LineSpec, type LiveSource, MetricsFeed, type MetricsSource } from './metrics-feed.ts';
import type { TimeRange } from './time-ranges.ts';

export function useMetricsFeed(source: MetricsSource, live: LiveSource, lines: readonly LineSpec[], range: TimeRange): MetricsFeed {
  // Lines are compared by what they draw, so a parent's new array with the same lines keeps the feed.
  const signature = JSON.stringify(lines.map((l) => [l.id, l.keys]));
  // biome-ignore lint/correctness/useExhaustiveDependencies: `lines` is represented by its signature
  const feed = useMemo(() => new MetricsFeed({ source, live, lines, range }), [source, live, signature, range]);
  useEffect(() => feed.start(), [feed]);
  return feed;
}
