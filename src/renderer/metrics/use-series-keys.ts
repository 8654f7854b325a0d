// The series the engine keeps (their keys), asked when the live connection opens, so after a
// reconnection too (a tunnel that came up meanwhile has its latency series then). Null until
// the first answer; an empty list when the engine cannot say (the charts then start from the
// live ticks).
import { useEffect, useState } from 'react';
import type { EngineClient } from '../client/engine-client.ts';
import type { LiveSource } from './metrics-feed.ts';

export function useSeriesKeys(source: Pick<EngineClient, 'listSeries'>, live: LiveSource): string[] | null {
  const [keys, setKeys] = useState<string[] | null>(null);
  useEffect(() => {
    let current = true;
    const ask = () =>
      source.listSeries().then(
        (series) => {
          const next = series.map((s) => s.key).sort();
          // The same list again keeps its identity: the charts built from it stay.
          if (current) setKeys((k) => (k && k.join('\n') === next.join('\n') ? k : next));
        },
        () => current && setKeys((k) => k ?? []),
      );
    const off = live.subscribe(
      () => {},
      (status) => status === 'open' && ask(),
    );
    return () => {
      current = false;
      off();
    };
  }, [source, live]);
  return keys;
}
