// Scraping a service's metrics URL: a real HTTP server on loopback serves prom-client's output,
// broken text, too many series, wrong statuses or nothing at all, and the sampler keeps the
// good series, says what went wrong once, and never throws.
import type http from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { realClock } from '../../../src/core/kit/clock.ts';
import { type MetricsSampler, MetricsSampler as Sampler } from '../../../src/core/metrics/samplers/metrics-sampler.ts';
import { MetricsScraper, type ScrapeEvent } from '../../../src/core/metrics/samplers/metrics-scraper.ts';
import type { SeriesKind } from '../../../src/shared/metrics.ts';
import { serveOnLoopback } from '../../helpers/loopback-http.ts';
import { freePort } from '../../helpers/stack.ts';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const samplers: MetricsSampler[] = [];
afterEach(() => {
  samplers.splice(0).forEach((s) => s.stop());
});

/** A server on 127.0.0.1 whose answer the test changes as it goes. */
async function metricsServer(initial: Handler): Promise<{ url: string; answer(handler: Handler): void; hits(): number }> {
  let handler = initial;
  let hits = 0;
  const base = await serveOnLoopback((req, res) => {
    hits++;
    handler(req, res);
  });
  return { url: `${base}/metrics`, answer: (h) => (handler = h), hits: () => hits };
}

const serveText = (body: string, status = 200): Handler => (_req, res) => {
  res.writeHead(status, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  res.end(body);
};

/** A sampler with no system or process reading, collecting what the scrapes hand on. */
function scrapingSampler(service: string, url: string, maxScrapedSeries = 500) {
  const samples = new Map<string, { t: number; value: number; kind: SeriesKind }>();
  const events: ScrapeEvent[] = [];
  const ticks: { t: number; values: Record<string, number> }[] = [];
  const sampler = new Sampler({
    system: { description: 'none', sampleFast: () => {}, sampleSlow: () => {} },
    trees: { description: 'none', setServices: () => {}, sample: () => {}, pidsOf: () => [] },
    maxScrapedSeries,
    onSample: (key, t, value, kind) => samples.set(key, { t, value, kind }),
    onTick: (tick) => ticks.push(tick),
    onScrapeEvent: (event) => events.push(event),
  });
  samplers.push(sampler);
  sampler.setServices([{ name: service, pid: null, adopted: false, metrics: { url, intervalMs: 10_000 } }]);
  return { sampler, samples, events, ticks };
}

describe('scraping a service that serves Prometheus text', () => {
  it("stores prom-client's counter, gauge and histogram buckets like Vigil's own series, with service=<name>", async () => {
    const registry = new Registry();
    const requests = new Counter({ name: 'app_requests_total', help: 'Requests', labelNames: ['method', 'service'], registers: [registry] });
    requests.inc({ method: 'GET', service: 'billing' }, 5);
    new Gauge({ name: 'app_queue_depth', help: 'Queue', registers: [registry] }).set(3);
    const latency = new Histogram({ name: 'app_latency_seconds', help: 'Latency', buckets: [0.1, 1], registers: [registry] });
    latency.observe(0.05);
    latency.observe(0.5);
    const server = await metricsServer(async (_req, res) => {
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(await registry.metrics());
    });
    const { sampler, samples, ticks } = scrapingSampler('api', server.url);

    await sampler.scrapeNow('api');

    // The app's own "service" label is kept as exported_service; service is Vigil's.
    expect(samples.get('app_requests_total{exported_service="billing",method="GET",service="api"}')).toMatchObject({ value: 5, kind: 'counter' });
    expect(samples.get('app_queue_depth{service="api"}')).toMatchObject({ value: 3, kind: 'gauge' });
    expect(samples.get('app_latency_seconds_bucket{le="0.1",service="api"}')).toMatchObject({ value: 1, kind: 'counter' });
    expect(samples.get('app_latency_seconds_bucket{le="1",service="api"}')).toMatchObject({ value: 2, kind: 'counter' });
    expect(samples.get('app_latency_seconds_bucket{le="+Inf",service="api"}')).toMatchObject({ value: 2, kind: 'counter' });
    expect(samples.get('app_latency_seconds_count{service="api"}')).toMatchObject({ value: 2, kind: 'counter' });
    expect(samples.get('app_latency_seconds_sum{service="api"}')?.value).toBeCloseTo(0.55);
    // A live tick carries the scrape, and latest() keeps it.
    expect(ticks.at(-1)?.values['app_queue_depth{service="api"}']).toBe(3);
    expect(sampler.latest().values['app_queue_depth{service="api"}']).toBe(3);

    requests.inc({ method: 'GET', service: 'billing' }, 2);
    await sampler.scrapeNow('api');
    expect(samples.get('app_requests_total{exported_service="billing",method="GET",service="api"}')?.value).toBe(7);
  });

  it('says which service, URL, line and column when the text is malformed, keeps going, and says when it works again', async () => {
    const server = await metricsServer(serveText('# TYPE jobs gauge\njobs 4\njobs_failed{queue="mail} 1\n'));
    const { sampler, samples, events } = scrapingSampler('worker', server.url);

    await expect(sampler.scrapeNow('worker')).resolves.toBeUndefined();
    await sampler.scrapeNow('worker'); // the same problem again is not news

    expect(samples.size).toBe(0);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ service: 'worker', url: server.url, kind: 'failed' });
    expect(events[0]!.message).toContain(`metrics of "worker" from ${server.url}`);
    expect(events[0]!.message).toContain('line 3, column 19');
    expect(events[0]!.message).toContain('never closed');
    expect(sampler.scrapeProblem('worker')).toBe(events[0]!.message);

    server.answer(serveText('# TYPE jobs gauge\njobs 4\n'));
    await sampler.scrapeNow('worker');
    expect(events.map((e) => e.kind)).toEqual(['failed', 'recovered']);
    expect(sampler.scrapeProblem('worker')).toBeNull();
    expect(samples.get('jobs{service="worker"}')?.value).toBe(4);
  });

  it('keeps at most the cap of series per service and says so once', async () => {
    const lines = Array.from({ length: 600 }, (_, i) => `requests_by_user{user="u${i}"} ${i}`);
    const server = await metricsServer(serveText(`${lines.join('\n')}\n`));
    const { sampler, samples, events } = scrapingSampler('web', server.url, 500);

    await sampler.scrapeNow('web');
    await sampler.scrapeNow('web');

    expect(samples.size).toBe(500);
    expect(samples.has('requests_by_user{service="web",user="u499"}')).toBe(true);
    expect(samples.has('requests_by_user{service="web",user="u500"}')).toBe(false);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'series-capped', service: 'web' });
    expect(events[0]!.message).toContain('more than 500 series');
    expect(events[0]!.message).toContain('requests_by_user{service="web",user="u500"}');
  });

  it('reports a wrong status and a refused connection without throwing', async () => {
    const server = await metricsServer(serveText('not here', 404));
    const { sampler, events } = scrapingSampler('web', server.url);

    await sampler.scrapeNow('web');
    expect(events.at(-1)?.message).toContain('status 404');

    const nothingThere = `http://127.0.0.1:${await freePort()}/metrics`;
    sampler.setServices([{ name: 'web', pid: null, adopted: false, metrics: { url: nothingThere, intervalMs: 10_000 } }]);
    await sampler.scrapeNow('web');
    expect(events.at(-1)?.message).toContain('connection refused');
  });

  it('gives up on a service that does not answer within the scrape timeout', async () => {
    const server = await metricsServer(() => {}); // accepts, never answers
    const events: ScrapeEvent[] = [];
    const scraper = new MetricsScraper(
      { service: 'slow', url: server.url, intervalMs: 1000 },
      {
        clock: realClock,
        maxSeries: 500,
        onSamples: () => {},
        onEvent: (event) => events.push(event),
      },
    );

    await scraper.scrape(Date.now());

    expect(events).toHaveLength(1);
    expect(events[0]!.message).toContain('no answer within 1000ms');
    expect(scraper.problem).toBe(events[0]!.message);
  });

  it('scrapes on its own interval, on the grid of that interval', async () => {
    const server = await metricsServer(serveText('up_value 1\n'));
    const stamps: number[] = [];
    const scraper = new MetricsScraper(
      { service: 'web', url: server.url, intervalMs: 1000 },
      {
        clock: realClock,
        maxSeries: 500,
        onSamples: (_service, t) => stamps.push(t),
        onEvent: () => {},
      },
    );
    scraper.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 2600));
    } finally {
      scraper.stop();
    }
    expect(stamps.length).toBeGreaterThanOrEqual(2);
    for (const t of stamps) expect(t % 1000).toBe(0);
    expect(server.hits()).toBe(stamps.length);
  });
});
