// Whether anyone is looking at the metrics, which decides the sampling rate: a live client
// (a dashboard over WebSocket, the app's window over its MessagePort) holds a watch while it is
// connected; a scrape of /metrics counts for five minutes after it (Prometheus scrapes every
// 15 s to 1 min, so a scraper that stopped is one that missed several). The tray's own port is
// not a watch: an app sitting in the menubar is nobody looking.
import type { Clock } from '../kit/clock.ts';

export type Watcher = 'client' | 'scrape';

export const SCRAPE_COUNTS_FOR_MS = 5 * 60_000;

export class SamplingDemand {
  private readonly clock: Clock;
  private readonly onChange: (active: boolean) => void;
  private readonly scrapeWindowMs: number;
  private clients = 0;
  private scrapedUntil = Number.NEGATIVE_INFINITY;
  private scrapeTimer: unknown = null;
  private wasActive = false;

  constructor(clock: Clock, onChange: (active: boolean) => void, scrapeWindowMs = SCRAPE_COUNTS_FOR_MS) {
    this.clock = clock;
    this.onChange = onChange;
    this.scrapeWindowMs = scrapeWindowMs;
  }

  get active(): boolean {
    return this.clients > 0 || this.clock.now() < this.scrapedUntil;
  }

  /** Someone looks; the returned function says they stopped (a scrape's window runs out by
   * itself, so for a scrape it does nothing). */
  watch(who: Watcher): () => void {
    if (who === 'scrape') {
      this.scrapedUntil = this.clock.now() + this.scrapeWindowMs;
      if (this.scrapeTimer !== null) this.clock.clearTimeout(this.scrapeTimer);
      this.scrapeTimer = this.clock.setTimeout(() => {
        this.scrapeTimer = null;
        this.update();
      }, this.scrapeWindowMs);
      this.update();
      return () => {};
    }
    this.clients++;
    this.update();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.clients--;
      this.update();
    };
  }

  stop(): void {
    if (this.scrapeTimer !== null) this.clock.clearTimeout(this.scrapeTimer);
    this.scrapeTimer = null;
  }

  private update(): void {
    const active = this.active;
    if (active === this.wasActive) return;
    this.wasActive = active;
    this.onChange(active);
  }
}
