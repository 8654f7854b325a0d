// The one object the engine drives: samples the machine and every service on a tick, scrapes
// the services that serve Prometheus text, and hands every value on twice, to `onSample` (one
// call per value, for the history store) and to `onTick` (one message per tick, for live
// clients). Ticks come every second while someone is looking (setActive(true): a window open,
// a client connected, a recent scrape of /metrics) and every 10 s otherwise, always on the
// grid of the interval (see aligned-ticker.ts). Disks and temperatures are read every 10 s in
// both modes. Nothing thrown by a source leaves the sampler: it is reported through `onError`
// (each distinct message once) and the tick goes on with the other sources.
import { performance } from 'node:perf_hooks';
import type { MetricsTick, SeriesKind } from '../../../shared/metrics.ts';
import { realClock } from '../../kit/clock.ts';
import { AlignedTicker } from './aligned-ticker.ts';
import { LinuxServiceTrees } from './linux-service-trees.ts';
import { LinuxSystemSource } from './linux-system-source.ts';
import { MetricsScraper, type ScrapeEvent, type ScrapeTarget } from './metrics-scraper.ts';
import { PortableServiceTrees } from './portable-service-trees.ts';
import { PortableSystemSource } from './portable-system-source.ts';
import type { Sample, SampleOut, SamplerClock, SampleSink, TickTime } from './sample.ts';
import type { ServiceProcess, ServiceTreeSampler } from './service-trees.ts';
import { type SupervisorStats, supervisorSeries } from './supervisor-series.ts';
import type { SystemSource } from './system-source.ts';

export interface SampledService extends ServiceProcess {
  /** The service's own Prometheus endpoint (the stack file's `metrics:`), if it has one. */
  metrics?: { url: string; intervalMs: number } | null;
}

export interface MetricsSamplerOptions {
  clock?: SamplerClock;
  /** Default 1 s. */
  activeIntervalMs?: number;
  /** Default 10 s. */
  idleIntervalMs?: number;
  /** Disks and temperatures. Default 10 s. */
  slowIntervalMs?: number;
  /** Default: /proc on Linux, os + systeminformation elsewhere. */
  system?: SystemSource;
  /** Default: /proc on Linux, pidtree + pidusage elsewhere. */
  trees?: ServiceTreeSampler;
  /** Restarts, uptime and health latency, asked for at every tick. */
  supervisorStats?: () => SupervisorStats[];
  /** Series kept per scraped service. Default 500. */
  maxScrapedSeries?: number;
  onSample?: SampleSink;
  onTick?: (tick: MetricsTick) => void;
  onScrapeEvent?: (event: ScrapeEvent) => void;
  onError?: (message: string) => void;
}

export function defaultSystemSource(): SystemSource {
  return process.platform === 'linux' ? new LinuxSystemSource() : new PortableSystemSource();
}

export function defaultServiceTrees(): ServiceTreeSampler {
  return process.platform === 'linux' ? new LinuxServiceTrees() : new PortableServiceTrees();
}

/** Errors remembered so each is reported once; past this many, a flood is not kept. */
const MAX_REMEMBERED_ERRORS = 100;

export class MetricsSampler {
  private readonly clock: SamplerClock;
  private readonly activeMs: number;
  private readonly idleMs: number;
  private readonly slowMs: number;
  private readonly system: SystemSource;
  private readonly trees: ServiceTreeSampler;
  private readonly options: MetricsSamplerOptions;
  private readonly ticker: AlignedTicker;
  private readonly scrapers = new Map<string, MetricsScraper>();
  private readonly reportedErrors = new Set<string>();
  private started = false;
  private ticking = false;
  private nextSlowAt = Number.NEGATIVE_INFINITY;
  private last: MetricsTick = { t: 0, values: {} };
  private slowValues: Record<string, number> = {};
  private readonly scrapedValues = new Map<string, Record<string, number>>();

  constructor(options: MetricsSamplerOptions = {}) {
    this.options = options;
    this.clock = options.clock ?? realClock;
    this.activeMs = options.activeIntervalMs ?? 1000;
    this.idleMs = options.idleIntervalMs ?? 10_000;
    this.slowMs = options.slowIntervalMs ?? 10_000;
    this.system = options.system ?? defaultSystemSource();
    this.trees = options.trees ?? defaultServiceTrees();
    // Idle until told otherwise: the engine says when someone is looking.
    this.ticker = new AlignedTicker(this.clock, this.idleMs, (t) => void this.tick(t));
  }

  /** Which way each kind of number is read on this machine. */
  describe(): { system: string; services: string } {
    return { system: this.system.description, services: this.trees.description };
  }

  get intervalMs(): number {
    return this.ticker.intervalMs;
  }

  /** Whether the active (someone is looking) interval is in force. */
  get active(): boolean {
    return this.ticker.intervalMs === this.activeMs && this.activeMs !== this.idleMs;
  }

  start(): void {
    this.started = true;
    this.ticker.start();
    for (const scraper of this.scrapers.values()) scraper.start();
  }

  stop(): void {
    this.started = false;
    this.ticker.stop();
    for (const scraper of this.scrapers.values()) scraper.stop();
  }

  /** Someone is looking (or no one is any more): switches between the active and the idle
   * interval at once. */
  setActive(active: boolean): void {
    this.ticker.setInterval(active ? this.activeMs : this.idleMs);
  }

  setServices(services: SampledService[]): void {
    this.trees.setServices(services);
    const wanted = new Map<string, ScrapeTarget>();
    for (const s of services) if (s.metrics) wanted.set(s.name, { service: s.name, url: s.metrics.url, intervalMs: s.metrics.intervalMs });
    for (const [name, scraper] of this.scrapers) {
      const target = wanted.get(name);
      if (target && target.url === scraper.target.url && target.intervalMs === scraper.target.intervalMs) continue;
      scraper.stop();
      this.scrapers.delete(name);
      this.scrapedValues.delete(name);
    }
    for (const [name, target] of wanted) {
      if (this.scrapers.has(name)) continue;
      const scraper = new MetricsScraper(target, {
        clock: this.clock,
        maxSeries: this.options.maxScrapedSeries ?? 500,
        onSamples: (service, t, samples) => this.scraped(service, t, samples),
        onEvent: (event) => this.options.onScrapeEvent?.(event),
      });
      this.scrapers.set(name, scraper);
      if (this.started) scraper.start();
    }
  }

  /** The newest value of every series: the last tick's, the last disk and temperature
   * reading, and the last scrape of each service. */
  latest(): MetricsTick {
    const values: Record<string, number> = { ...this.slowValues };
    for (const scraped of this.scrapedValues.values()) Object.assign(values, scraped);
    Object.assign(values, this.last.values);
    return { t: this.last.t, values };
  }

  /** The pids counted for a service at the last tick. */
  pidsOf(service: string): number[] {
    return this.trees.pidsOf(service);
  }

  /** What is wrong with scraping a service's metrics URL right now, or null (also for a
   * service that has none): for a snapshot, where events alone would be missed. */
  scrapeProblem(service: string): string | null {
    return this.scrapers.get(service)?.problem ?? null;
  }

  /** Scrapes a service's metrics URL now (tests, and a "scrape now" button). */
  async scrapeNow(service: string): Promise<void> {
    await this.scrapers.get(service)?.scrape(this.gridNow());
  }

  /** Runs one tick now, stamped with the current point of the active grid; resolves with it. */
  async tickNow(): Promise<MetricsTick> {
    await this.tick(this.gridNow());
    return this.last;
  }

  private gridNow(): number {
    return Math.floor(this.clock.now() / this.activeMs) * this.activeMs;
  }

  private async tick(t: number): Promise<void> {
    // The portable sources wait for `ps`; a tick that is still running makes the next one
    // wait for the tick after instead of piling up.
    if (this.ticking) return;
    this.ticking = true;
    try {
      const time: TickTime = { t, mono: performance.now() };
      const values: Record<string, number> = {};
      const out = this.writer(t, values);
      await this.guard('system', () => this.system.sampleFast(time, out));
      if (t >= this.nextSlowAt) {
        this.nextSlowAt = (Math.floor(t / this.slowMs) + 1) * this.slowMs;
        const slowValues: Record<string, number> = {};
        const slowOut = this.writer(t, values, slowValues);
        await this.guard('disks and temperatures', () => this.system.sampleSlow(time, slowOut));
        this.slowValues = slowValues;
      }
      await this.guard('services', () => this.trees.sample(time, out));
      const stats = this.options.supervisorStats;
      if (stats) await this.guard('supervisor', () => stats().forEach((s) => writeAll(supervisorSeries(s), out)));
      this.last = { t, values };
      this.deliver(this.last);
    } finally {
      this.ticking = false;
    }
  }

  private scraped(service: string, t: number, samples: Sample[]): void {
    const values: Record<string, number> = {};
    writeAll(samples, this.writer(t, values));
    this.scrapedValues.set(service, values);
    this.deliver({ t, values });
  }

  /** An output that records values of tick `t` in each of `records` and hands them to the
   * history store. */
  private writer(t: number, ...records: Record<string, number>[]): SampleOut {
    const onSample = this.options.onSample;
    return (key: string, value: number, kind: SeriesKind) => {
      for (const record of records) record[key] = value;
      if (onSample) {
        try {
          onSample(key, t, value, kind);
        } catch (err) {
          this.report(`the history store refused ${key}: ${(err as Error).message}`);
        }
      }
    };
  }

  private deliver(tick: MetricsTick): void {
    try {
      this.options.onTick?.(tick);
    } catch (err) {
      this.report(`a live metrics listener failed: ${(err as Error).message}`);
    }
  }

  private async guard(what: string, run: () => void | Promise<void>): Promise<void> {
    try {
      await run();
    } catch (err) {
      this.report(`sampling ${what} failed: ${(err as Error).message}`);
    }
  }

  private report(message: string): void {
    if (this.reportedErrors.has(message) || this.reportedErrors.size >= MAX_REMEMBERED_ERRORS) return;
    this.reportedErrors.add(message);
    this.options.onError?.(message);
  }
}

function writeAll(samples: Sample[], out: SampleOut): void {
  for (const { key, value, kind } of samples) out(key, value, kind);
}
