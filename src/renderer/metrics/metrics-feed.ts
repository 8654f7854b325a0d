// The data behind the charts of one view: a history query for every line's series, then the
// live ticks folded in as they arrive (no new query per tick). Outside React on purpose: a
// tick updates the lines here and tells each chart, which redraws its canvas in place; React
// state is not touched per tick except in the few small components that print a value.
import type { LiveMessage } from '../../shared/contract.ts';
import type { MetricsQueryResult, MetricsTick } from '../../shared/metrics.ts';
import type { ConnectionStatus, EngineClient } from '../client/engine-client.ts';
import { appendSample, emptyLine, lineFromHistory, type MetricLine, tickValue, trimLine } from './metric-line.ts';
import type { TimeRange } from './time-ranges.ts';

/** A line of a chart: its id within the feed and the series it adds up (usually one). */
export interface LineSpec {
  id: string;
  keys: readonly string[];
}

/** What the feed needs of the engine client. */
export type MetricsSource = Pick<EngineClient, 'queryMetrics'>;

export interface LiveSource {
  subscribe(listener: (message: LiveMessage) => void, onStatus?: (status: ConnectionStatus) => void): () => void;
}

export type FeedStatus = { state: 'loading' } | { state: 'ready' } | { state: 'error'; message: string };

export class MetricsFeed {
  readonly range: TimeRange;
  private readonly source: MetricsSource;
  private readonly live: LiveSource;
  private readonly specs: readonly LineSpec[];
  private readonly queryKeys: readonly string[];
  private readonly now: () => number;
  private readonly lines = new Map<string, MetricLine>();
  private readonly listeners = new Set<() => void>();
  private pending: MetricsTick[] = [];
  private loaded = false;
  private generation = 0;
  private stopLive: (() => void) | null = null;
  /** The newest time the feed has seen (a tick's, or the query's end): the right edge of the charts. */
  windowEnd: number;
  status: FeedStatus = { state: 'loading' };
  /** Grows with every change: what React's useSyncExternalStore compares. */
  version = 0;

  /** `known`: the series the history has (the engine's series list). Only those are asked for,
   * since the query refuses a series it does not know (a service started a moment ago, one
   * without a health check); the others start from the live ticks. Null: ask for every one. */
  constructor(options: { source: MetricsSource; live: LiveSource; lines: readonly LineSpec[]; range: TimeRange; known?: ReadonlySet<string> | null; now?: () => number }) {
    this.source = options.source;
    this.live = options.live;
    this.specs = options.lines;
    const known = options.known ?? null;
    this.queryKeys = [...new Set(this.specs.flatMap((s) => s.keys))].filter((k) => known === null || known.has(k));
    this.range = options.range;
    this.now = options.now ?? Date.now;
    this.windowEnd = this.now();
    for (const spec of this.specs) this.lines.set(spec.id, emptyLine(this.range.stepMs));
  }

  line(id: string): MetricLine | undefined {
    return this.lines.get(id);
  }

  /** Called after the history arrives and after every tick; returns the unsubscribe function. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  /** Queries the history and follows the live ticks until the returned function is called. */
  start(): () => void {
    let wasClosed = false;
    this.stopLive = this.live.subscribe(
      (message) => {
        if (message.kind !== 'metrics') return;
        if (this.loaded) this.apply(message.tick);
        else this.pending.push(message.tick);
      },
      (status) => {
        if (status === 'closed') wasClosed = true;
        // Back after a disconnection: ticks were missed, so the history is asked again.
        if (status === 'open' && wasClosed) {
          wasClosed = false;
          this.load();
        }
      },
    );
    this.load();
    return () => {
      this.generation++;
      this.stopLive?.();
      this.stopLive = null;
    };
  }

  private load(): void {
    const generation = ++this.generation;
    this.loaded = false;
    this.pending = [];
    const keys = [...this.queryKeys];
    const to = this.now();
    const from = to - this.range.windowMs;
    const query = keys.length === 0 ? Promise.resolve([] as MetricsQueryResult[]) : this.source.queryMetrics({ series: keys, from, to, step: this.range.stepMs });
    query.then(
      (results) => {
        if (generation !== this.generation) return;
        const bySeries = new Map(results.map((r) => [r.series, r]));
        for (const spec of this.specs) {
          const mine = spec.keys.map((k) => bySeries.get(k)).filter((r): r is MetricsQueryResult => r !== undefined);
          this.lines.set(spec.id, mine.length > 0 ? lineFromHistory(mine, this.range.stepMs) : emptyLine(this.range.stepMs));
        }
        this.windowEnd = Math.max(this.windowEnd, to);
        this.loaded = true;
        this.status = { state: 'ready' };
        const early = this.pending;
        this.pending = [];
        for (const tick of early) this.fold(tick);
        this.notify();
      },
      (err: unknown) => {
        if (generation !== this.generation) return;
        this.status = { state: 'error', message: err instanceof Error ? err.message : String(err) };
        // Live ticks still draw: better a chart from now on than none.
        this.loaded = true;
        for (const tick of this.pending) this.fold(tick);
        this.pending = [];
        this.notify();
      },
    );
  }

  private apply(tick: MetricsTick): void {
    this.fold(tick);
    this.notify();
  }

  private fold(tick: MetricsTick): void {
    const windowMs = this.range.windowMs;
    for (const spec of this.specs) {
      const line = this.lines.get(spec.id)!;
      const value = tickValue(tick.values, spec.keys);
      this.lines.set(spec.id, value === null ? trimLine(line, tick.t - windowMs) : appendSample(line, tick.t, value, windowMs));
    }
    this.windowEnd = Math.max(this.windowEnd, tick.t);
  }

  private notify(): void {
    this.version++;
    for (const listener of [...this.listeners]) listener();
  }
}
