// Scrapes one service's own metrics URL (Prometheus text) on a grid of its interval and hands
// on the samples as Vigil series. Nothing here throws: a refused connection, a bad status, a
// body that is not Prometheus text all become one event that names the service, the URL and
// (for bad text) the line and column, reported when the problem starts or changes, with one
// more when scraping works again.
import { HttpGetError, httpGet } from '../../kit/http-get.ts';
import { AlignedTicker } from './aligned-ticker.ts';
import { parsePrometheusText } from './prometheus-text.ts';
import type { Sample, SamplerClock } from './sample.ts';
import { ScrapedSeries } from './scraped-series.ts';

export interface ScrapeTarget {
  service: string;
  url: string;
  intervalMs: number;
}

export interface ScrapeEvent {
  service: string;
  url: string;
  kind: 'failed' | 'recovered' | 'series-capped';
  message: string;
}

export interface ScraperOptions {
  clock: SamplerClock;
  maxSeries: number;
  /** Samples of one scrape, stamped with the scrape's grid time. */
  onSamples(service: string, t: number, samples: Sample[]): void;
  onEvent(event: ScrapeEvent): void;
}

/** Prometheus' own default: a scrape may take 10 s, never longer than its interval. */
const MAX_TIMEOUT_MS = 10_000;
/** httpGet stops reading here; a longer answer would end mid-line. */
const MAX_BODY_BYTES = 1024 * 1024;

export class MetricsScraper {
  readonly target: ScrapeTarget;
  private readonly options: ScraperOptions;
  private readonly series: ScrapedSeries;
  private readonly ticker: AlignedTicker;
  private inFlight = false;
  private lastProblem: string | null = null;
  private capReported = false;

  constructor(target: ScrapeTarget, options: ScraperOptions) {
    this.target = target;
    this.options = options;
    this.series = new ScrapedSeries(target.service, options.maxSeries);
    this.ticker = new AlignedTicker(options.clock, target.intervalMs, (t) => void this.scrape(t));
  }

  start(): void {
    this.ticker.start();
  }

  stop(): void {
    this.ticker.stop();
  }

  /** The problem of the last scrape, or null when it worked (or none ran yet). */
  get problem(): string | null {
    return this.lastProblem;
  }

  /** One scrape now, stamped `t`; skipped while the previous one is still waiting. */
  async scrape(t: number): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    try {
      const samples = await this.fetchSamples();
      if (typeof samples === 'string') {
        this.fail(samples);
        return;
      }
      const batch = this.series.convert(samples);
      if (batch.dropped.length > 0 && !this.capReported) {
        this.capReported = true;
        this.event('series-capped', `${this.where()} has more than ${this.options.maxSeries} series; Vigil keeps the first ${this.options.maxSeries} and leaves out the rest (first left out: ${batch.dropped[0]})`);
      }
      this.recover();
      this.options.onSamples(this.target.service, t, batch.samples);
    } catch (err) {
      this.fail(`scraping failed: ${(err as Error).message}`);
    } finally {
      this.inFlight = false;
    }
  }

  /** The parsed samples, or what went wrong. */
  private async fetchSamples() {
    const { url, intervalMs } = this.target;
    let answer: { status: number; body: string };
    try {
      answer = await httpGet(url, Math.min(MAX_TIMEOUT_MS, intervalMs));
    } catch (err) {
      return err instanceof HttpGetError ? `GET failed: ${err.reason}` : `GET failed: ${(err as Error).message}`;
    }
    if (answer.status !== 200) return `answered with status ${answer.status}, expected 200 and Prometheus text`;
    if (Buffer.byteLength(answer.body) >= MAX_BODY_BYTES) return 'the answer is larger than 1 MB; Vigil reads metrics pages up to 1 MB';
    const parsed = parsePrometheusText(answer.body);
    if (!parsed.ok) {
      const { line, column, message } = parsed.problem;
      return `not valid Prometheus text: line ${line}, column ${column}: ${message}`;
    }
    return parsed.samples;
  }

  private where(): string {
    return `metrics of "${this.target.service}" from ${this.target.url}`;
  }

  private fail(reason: string): void {
    const message = `${this.where()}: ${reason}`;
    if (message === this.lastProblem) return;
    this.lastProblem = message;
    this.event('failed', message);
  }

  private recover(): void {
    if (this.lastProblem === null) return;
    this.lastProblem = null;
    this.event('recovered', `${this.where()}: scraping works again`);
  }

  private event(kind: ScrapeEvent['kind'], message: string): void {
    try {
      this.options.onEvent({ service: this.target.service, url: this.target.url, kind, message });
    } catch {
      // a listener's failure is not the scrape's
    }
  }
}
