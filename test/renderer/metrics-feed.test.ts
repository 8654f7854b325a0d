import { describe, expect, it } from 'vitest';
import type { LiveMessage } from '../../src/shared/contract.ts';
import type { MetricsQueryParams, MetricsQueryResult } from '../../src/shared/metrics.ts';
import type { ConnectionStatus } from '../../src/renderer/client/engine-client.ts';
import { lastValue, pointCount } from '../../src/renderer/metrics/metric-line.ts';
import { MetricsFeed } from '../../src/renderer/metrics/metrics-feed.ts';
import { DEFAULT_RANGE } from '../../src/renderer/metrics/time-ranges.ts';

const T0 = Date.UTC(2026, 0, 1, 12);

/** An engine's two sides as the feed sees them: answers to history queries, which the test
 * releases when it wants, and a live channel it speaks on. */
function engine() {
  const queries: { request: MetricsQueryParams; answer(results: MetricsQueryResult[]): void; fail(message: string): void }[] = [];
  const listeners = new Set<(m: LiveMessage) => void>();
  const statuses = new Set<(s: ConnectionStatus) => void>();
  return {
    queries,
    listening: () => listeners.size,
    source: {
      queryMetrics: (request: MetricsQueryParams) =>
        new Promise<MetricsQueryResult[]>((resolve, reject) => queries.push({ request, answer: resolve, fail: (m) => reject(new Error(m)) })),
    },
    live: {
      subscribe(listener: (m: LiveMessage) => void, onStatus?: (s: ConnectionStatus) => void) {
        listeners.add(listener);
        if (onStatus) statuses.add(onStatus);
        onStatus?.('open');
        return () => {
          listeners.delete(listener);
          if (onStatus) statuses.delete(onStatus);
        };
      },
    },
    tick: (t: number, values: Record<string, number>) => listeners.forEach((l) => l({ kind: 'metrics', tick: { t, values } })),
    status: (s: ConnectionStatus) => statuses.forEach((l) => l(s)),
  };
}

const history = (series: string, times: number[], value = 1): MetricsQueryResult => ({ series, tier: 'raw', step: 1000, points: times.map((t) => [t, value, value, value]) });
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('metrics feed', () => {
  const lines = [
    { id: 'cpu', keys: ['system_cpu_percent'] },
    { id: 'new', keys: ['service_cpu_percent{service="new"}'] },
  ];

  it('asks the history for the series it has, then folds in the ticks, those that came meanwhile too', async () => {
    const e = engine();
    const feed = new MetricsFeed({ source: e.source, live: e.live, lines, range: DEFAULT_RANGE, known: new Set(['system_cpu_percent']), now: () => T0 });
    let changes = 0;
    feed.subscribe(() => changes++);
    const stop = feed.start();
    expect(e.queries).toHaveLength(1);
    expect(e.queries[0]!.request).toEqual({ series: ['system_cpu_percent'], from: T0 - DEFAULT_RANGE.windowMs, to: T0, step: 1000 });
    e.tick(T0 + 1000, { system_cpu_percent: 50, 'service_cpu_percent{service="new"}': 7 });
    expect(feed.status).toEqual({ state: 'loading' });
    e.queries[0]!.answer([history('system_cpu_percent', [T0 - 2000, T0 - 1000, T0])]);
    await settle();
    expect(feed.status).toEqual({ state: 'ready' });
    expect(pointCount(feed.line('cpu')!)).toBe(4);
    expect(lastValue(feed.line('cpu')!)).toBe(50);
    // Not in the history yet: drawn from the ticks.
    expect(pointCount(feed.line('new')!)).toBe(1);
    e.tick(T0 + 2000, { system_cpu_percent: 60 });
    expect(pointCount(feed.line('cpu')!)).toBe(5);
    expect(feed.windowEnd).toBe(T0 + 2000);
    expect(changes).toBe(2);
    expect(e.queries).toHaveLength(1);
    stop();
    expect(e.listening()).toBe(0);
  });

  it('asks again after a reconnection (ticks were missed), not on the first connection', async () => {
    const e = engine();
    const feed = new MetricsFeed({ source: e.source, live: e.live, lines, range: DEFAULT_RANGE, now: () => T0 });
    const stop = feed.start();
    expect(e.queries).toHaveLength(1);
    e.status('closed');
    e.status('open');
    expect(e.queries).toHaveLength(2);
    // The older answer comes last: it is not the feed's any more.
    e.queries[1]!.answer([history('system_cpu_percent', [T0], 2)]);
    e.queries[0]!.answer([history('system_cpu_percent', [T0], 1)]);
    await settle();
    expect(lastValue(feed.line('cpu')!)).toBe(2);
    stop();
  });

  it('still draws the ticks when the history cannot be had, and says why', async () => {
    const e = engine();
    const feed = new MetricsFeed({ source: e.source, live: e.live, lines, range: DEFAULT_RANGE, now: () => T0 });
    const stop = feed.start();
    e.queries[0]!.fail('400: unknown series');
    await settle();
    expect(feed.status).toEqual({ state: 'error', message: '400: unknown series' });
    e.tick(T0 + 1000, { system_cpu_percent: 5 });
    expect(lastValue(feed.line('cpu')!)).toBe(5);
    stop();
  });

  it('ignores an answer that comes after it stopped', async () => {
    const e = engine();
    const feed = new MetricsFeed({ source: e.source, live: e.live, lines, range: DEFAULT_RANGE, now: () => T0 });
    const stop = feed.start();
    stop();
    e.queries[0]!.answer([history('system_cpu_percent', [T0])]);
    await settle();
    expect(feed.status).toEqual({ state: 'loading' });
    expect(pointCount(feed.line('cpu')!)).toBe(0);
  });

  it('asks nothing when none of its series is kept yet', async () => {
    const e = engine();
    const feed = new MetricsFeed({ source: e.source, live: e.live, lines, range: DEFAULT_RANGE, known: new Set(), now: () => T0 });
    const stop = feed.start();
    await settle();
    expect(e.queries).toHaveLength(0);
    expect(feed.status).toEqual({ state: 'ready' });
    stop();
  });
});
