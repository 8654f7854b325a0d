// The metrics subsystem: the sampler (system, every service's process tree, scraped endpoints)
// and the watchers' observations go into the history file ($VIGIL_HOME/history.db), and out
// again as queries, the snapshot's metrics section and live ticks. The engine's events go into
// the same file, so the event list and availability survive a restart of Vigil.
//
// Cheap on purpose: a tick appends to the store (memory only; the store commits every 5 s) and
// hands the tick to live listeners if there are any. No snapshot is built and no state is pushed
// per tick: the snapshot's figures are read when a snapshot is built for another reason.
import path from 'node:path';
import type { EngineEvent } from '../../shared/events.ts';
import {
  type EventsPage,
  type EventsQuery,
  type HistoryStatus,
  type MetricsQueryParams,
  type MetricsQueryRequest,
  type MetricsQueryResult,
  type MetricsSnapshot,
  type MetricsTick,
  type SeriesInfo,
  type SeriesKind,
  seriesKey,
  type ServiceUsage,
} from '../../shared/metrics.ts';
import type { LoadedStack } from '../config/stack-file-error.ts';
import { tightenFile } from '../private-files.ts';
import type { Subsystem, SubsystemHooks } from '../subsystem.ts';
import type { ServiceView } from '../supervisor/service-runner.ts';
import { AvailabilityCache } from './availability-cache.ts';
import type { MetricsSettings } from './metrics-settings.ts';
import { HistoryUnavailableError, queryRange, resolveSeriesKeys } from './metrics-request.ts';
import { MetricsSampler, type MetricsSamplerOptions } from './samplers/metrics-sampler.ts';
import { sampledServices, supervisorStats } from './samplers/supervised-services.ts';
import { SamplingDemand, type Watcher } from './sampling-demand.ts';
import type { EngineEventsPage } from './store/event-history.ts';
import { MetricStore } from './store/metric-store.ts';

export const HISTORY_FILE = 'history.db';

export interface MetricsSubsystemOptions {
  hooks: SubsystemHooks;
  /** The data folder: the history file goes in it. */
  home: string;
  settings: MetricsSettings;
  /** The supervisor's services as they are now. */
  services(): readonly ServiceView[];
  /** Where problems go that are no event (a source that cannot be read, said once each). */
  warn?(message: string): void;
  /** Tests: other sources for the sampler. */
  sampler?: Pick<MetricsSamplerOptions, 'system' | 'trees' | 'slowIntervalMs'>;
}

/** Events that may change a service's process (a new pid to sample) or its availability. */
const SERVICE_CHANGES = new Set<EngineEvent['type']>(['service.state', 'service.adopted', 'service.exit', 'service.redefined']);

export class MetricsSubsystem implements Subsystem<MetricsSnapshot> {
  readonly file: string;
  private readonly options: MetricsSubsystemOptions;
  private readonly hooks: SubsystemHooks;
  private readonly sampler: MetricsSampler;
  private readonly demand: SamplingDemand;
  private readonly availability: AvailabilityCache;
  private readonly tickListeners = new Set<(tick: MetricsTick) => void>();
  private store: MetricStore | null = null;
  /** Why there is no store (the file could not be opened), or null. */
  private unavailable: string | null = 'history opens when the engine starts';
  /** The newest value of each observed series (tunnels, Fly.io), and observations not yet in
   * a live tick. */
  private readonly observed = new Map<string, { t: number; value: number }>();
  private unsentObservations: Record<string, number> | null = null;
  private offEvents: (() => void) | null = null;
  private servicesTimer: unknown = null;
  private running = false;

  constructor(options: MetricsSubsystemOptions) {
    this.options = options;
    this.hooks = options.hooks;
    this.file = path.join(options.home, HISTORY_FILE);
    const { clock } = this.hooks;
    this.sampler = new MetricsSampler({
      clock,
      activeIntervalMs: options.settings.activeIntervalMs,
      idleIntervalMs: options.settings.idleIntervalMs,
      ...options.sampler,
      supervisorStats: () => supervisorStats(options.services(), clock.now()),
      onSample: (key, t, value, kind) => this.store?.append(key, t, value, kind),
      onTick: (tick) => this.deliver(tick),
      onScrapeEvent: (event) => options.warn?.(`metrics of ${event.service} (${event.url}): ${event.message}`),
      onError: (message) => options.warn?.(`metrics: ${message}`),
    });
    this.demand = new SamplingDemand(clock, (active) => {
      this.sampler.setActive(active);
      this.hooks.changed();
    });
    this.availability = new AvailabilityCache((service, from, to) => this.store?.availability(service, from, to) ?? null, () => clock.now());
  }

  /** Opens the history file, records the engine's start, and starts sampling. Returns the
   * highest event id the file holds (the event log goes on after it). A file that cannot be
   * opened leaves history unavailable (said in the snapshot); supervision goes on. */
  start(): number {
    this.running = true;
    try {
      for (const file of [this.file, `${this.file}-wal`, `${this.file}-shm`]) tightenFile(file);
      this.store = MetricStore.open(this.file, {
        retention: this.options.settings.retention,
        maxBytes: this.options.settings.maxHistoryBytes,
        now: () => this.hooks.clock.now(),
        timer: this.hooks.clock,
        onWritingChange: (status) => queueMicrotask(() => this.writingChanged(status)),
      });
      this.unavailable = null;
      for (const warning of this.store.warnings) this.options.warn?.(warning);
      this.store.recordEngineStart(this.hooks.clock.now(), process.pid);
    } catch (err) {
      this.store = null;
      this.unavailable = `history unavailable: ${this.file} could not be opened: ${(err as Error).message}`;
      this.hooks.emit({ type: 'history.paused', service: null, message: this.unavailable });
    }
    this.offEvents = this.hooks.onEvent?.((event) => this.onEvent(event)) ?? null;
    this.sampler.setServices(sampledServices(this.options.services()));
    this.sampler.start();
    return this.store?.lastEventSeq ?? 0;
  }

  private onEvent(event: EngineEvent): void {
    try {
      this.store?.appendEvent(event);
    } catch (err) {
      this.options.warn?.(`history: event ${event.id} not kept: ${(err as Error).message}`);
    }
    if (event.service === null || !SERVICE_CHANGES.has(event.type)) return;
    if (event.type === 'service.state') this.availability.invalidate(event.service);
    this.refreshServicesSoon();
  }

  /** A burst of transitions (a restart is three) gives the sampler the services once, after
   * the supervisor has settled the new pid. */
  private refreshServicesSoon(): void {
    if (this.servicesTimer !== null || !this.running) return;
    this.servicesTimer = this.hooks.clock.setTimeout(() => {
      this.servicesTimer = null;
      if (this.running) this.sampler.setServices(sampledServices(this.options.services()));
    }, 0);
  }

  private writingChanged(status: HistoryStatus): void {
    if (status.writing) this.hooks.emit({ type: 'history.resumed', service: null, message: 'history is written again; what waited in memory is kept' });
    else this.hooks.emit({ type: 'history.paused', service: null, message: `${status.reason ?? 'history paused'}. Supervision and alerts go on; writing resumes by itself` });
    this.hooks.changed();
  }

  // ---- Subsystem ----

  async apply(_stack: LoadedStack): Promise<string[]> {
    // The services themselves come from the supervisor, which has applied the stack already
    // (a service's metrics: endpoint included).
    if (this.running) this.sampler.setServices(sampledServices(this.options.services()));
    return [];
  }

  snapshot(): MetricsSnapshot {
    const latest = this.latest().values;
    const system: Record<string, number> = {};
    for (const key in latest) if (key.startsWith('system_')) system[key] = latest[key]!;
    const services: Record<string, ServiceUsage> = {};
    for (const { name } of this.options.services()) {
      const value = (metric: string) => latest[seriesKey(metric, { service: name })] ?? null;
      services[name] = {
        cpuPercent: value('service_cpu_percent'),
        rssBytes: value('service_rss_bytes'),
        threads: value('service_threads'),
        availability: this.availability.get(name),
      };
    }
    return { history: this.historyStatus(), sampling: { intervalMs: this.sampler.intervalMs, active: this.sampler.active }, system, services };
  }

  /** Stops sampling. History stays open for the services' last transitions: the engine
   * closes it after the supervisor has stopped them (closeHistory). */
  async stop(): Promise<void> {
    this.running = false;
    this.sampler.stop();
    this.demand.stop();
    if (this.servicesTimer !== null) this.hooks.clock.clearTimeout(this.servicesTimer);
    this.servicesTimer = null;
  }

  /** Records the engine's stop, writes what is buffered, and closes the file. */
  closeHistory(): void {
    this.offEvents?.();
    this.offEvents = null;
    const store = this.store;
    if (!store) return;
    this.store = null;
    this.unavailable = 'history is closed (the engine stopped)';
    try {
      store.recordEngineStop(this.hooks.clock.now());
    } finally {
      store.close();
    }
  }

  // ---- the engine-facing API ----

  /** Points of one series (an exact key; unknown keys give no points). */
  query(request: MetricsQueryRequest): MetricsQueryResult {
    return this.openStore().query(request);
  }

  /** The query routes' form: several series (bare names expanded), range defaults. Throws
   * MetricsRequestError naming the field. */
  queryMany(params: MetricsQueryParams): MetricsQueryResult[] {
    const store = this.openStore();
    const { from, to, step } = queryRange(params, this.hooks.clock.now());
    const keys = resolveSeriesKeys(params.series, store.seriesKeys());
    return keys.map((series) => store.query({ series, from, to, step }));
  }

  series(): SeriesInfo[] {
    return this.store?.series() ?? [];
  }

  /** The newest value of every series: sampled, scraped and observed, stamped with the newest. */
  latest(): MetricsTick {
    const tick = this.sampler.latest();
    let t = tick.t;
    for (const [key, { t: at, value }] of this.observed) {
      tick.values[key] = value;
      if (at > t) t = at;
    }
    return { t, values: tick.values };
  }

  /** Every sampling tick (its values only); returns the unsubscribe function. */
  onTick(listener: (tick: MetricsTick) => void): () => void {
    this.tickListeners.add(listener);
    return () => void this.tickListeners.delete(listener);
  }

  /** Someone looks: sampling runs at the active interval while any client watch is held, and
   * for 5 minutes after a scrape. Returns the release function. */
  watch(who: Watcher): () => void {
    return this.demand.watch(who);
  }

  /** Stored events by time, with the engine's start/stop markers (see EventsQuery). */
  events(query: EventsQuery = {}): EventsPage {
    return this.store?.events(query) ?? { events: [], before: null };
  }

  /** Stored engine events by id, as GET /api/events pages them; null without a history file. */
  eventPage(query: { after?: number; before?: number; limit?: number }): EngineEventsPage | null {
    return this.store?.engineEvents(query) ?? null;
  }

  historyStatus(): HistoryStatus {
    if (this.store) return this.store.status();
    return { writing: false, reason: this.unavailable, sizeBytes: 0, since: null };
  }

  /** Caps the history file (null: no cap but the disk); reaching it pauses history. */
  setHistoryLimit(maxBytes: number | null): void {
    this.store?.setMaxBytes(maxBytes);
  }

  /** Samples now, without waiting for the next tick (tests; a "refresh" button). */
  sampleNow(): Promise<MetricsTick> {
    return this.sampler.tickNow();
  }

  /** Writes what is buffered now (tests; normally every 5 s). False when writing is paused. */
  commitNow(): boolean {
    return this.store?.commit() ?? false;
  }

  /** Which way the numbers are read on this machine (for the README's table and diagnostics). */
  describeSources(): { system: string; services: string } {
    return this.sampler.describe();
  }

  /** An observation of a watcher (tunnels, Fly.io): stored like a sample, and sent to live
   * clients with the next tick. */
  observe(name: string, value: number, labels: Record<string, string>, kind?: SeriesKind): void {
    if (!Number.isFinite(value)) return;
    const key = seriesKey(name, labels);
    const t = this.hooks.clock.now();
    this.observed.set(key, { t, value });
    try {
      this.store?.append(key, t, value, kind);
    } catch (err) {
      this.options.warn?.(`history: observation ${key} not kept: ${(err as Error).message}`);
    }
    if (this.tickListeners.size === 0) return;
    this.unsentObservations ??= {};
    this.unsentObservations[key] = value;
  }

  private openStore(): MetricStore {
    if (!this.store) throw new HistoryUnavailableError(this.unavailable ?? 'history is unavailable');
    return this.store;
  }

  private deliver(tick: MetricsTick): void {
    if (this.tickListeners.size === 0) {
      this.unsentObservations = null;
      return;
    }
    const unsent = this.unsentObservations;
    this.unsentObservations = null;
    const message = unsent ? { t: tick.t, values: { ...unsent, ...tick.values } } : tick;
    for (const listener of this.tickListeners) {
      try {
        listener(message);
      } catch (err) {
        this.options.warn?.(`a live metrics listener failed: ${(err as Error).message}`);
      }
    }
  }
}
