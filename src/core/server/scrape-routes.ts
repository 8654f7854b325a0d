// The routes Prometheus scrapes, beside the API's (api-routes.ts): behind the scrape token,
// and answering text. The exporter (prometheus/) is loaded at the first scrape, so an engine
// that nobody scrapes never loads prom-client.
import { PROMETHEUS_TEXT_CONTENT_TYPE, type ScrapeRoutes } from '../../shared/contract.ts';
import type { RouteTable } from './route-table.ts';

export const SCRAPE_ROUTES: RouteTable<ScrapeRoutes> = {
  'GET /metrics': {
    access: 'scrape',
    contentType: PROMETHEUS_TEXT_CONTENT_TYPE,
    handle: async (engine) => (await import('./prometheus/exporter.ts')).scrapeEngine(engine),
  },
};
