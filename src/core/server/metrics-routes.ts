// The metrics routes of the local API (MetricsApiRoutes in src/shared/metrics.ts), one table
// beside the other routes' (api-routes.ts), served and fuzzed with them.
import type { MetricsApiRoutes } from '../../shared/metrics.ts';
import { parseDuration } from '../kit/units.ts';
import { HistoryUnavailableError, MetricsRequestError } from '../metrics/metrics-request.ts';
import { describeValue, HttpError } from './http-error.ts';
import { wholeNumberParam } from './request-params.ts';
import type { RouteTable } from './route-table.ts';

/** ?since=15m|1h|24h|7d...: a range ending now. */
function sinceParam(value: string | null): number | undefined {
  if (value === null) return undefined;
  const ms = /^\d+(ms|s|m|h|d|w)$/.test(value) ? parseDuration(value) : null;
  if (ms === null || ms <= 0 || !Number.isSafeInteger(ms)) throw new HttpError(400, `"since" must be a duration such as 15m, 1h, 24h or 7d, got ${describeValue(value)}`);
  return ms;
}

/** Optional whole-number ms parameter (absent: undefined, so the query's defaults apply). */
function msParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  return value === null ? undefined : wholeNumberParam(value, name, 0);
}

function asHttpError(err: unknown): never {
  if (err instanceof MetricsRequestError) throw new HttpError(400, err.message);
  if (err instanceof HistoryUnavailableError) throw new HttpError(503, err.message);
  throw err;
}

export const METRICS_ROUTES: RouteTable<MetricsApiRoutes> = {
  'GET /api/metrics/series': { handle: (engine) => ({ series: engine.metrics.series() }) },
  'GET /api/metrics/query': {
    query: ['series', 'from', 'to', 'step', 'since'],
    handle: (engine, { query }) => {
      // The range first: a malformed number is named before a missing series is.
      let from = msParam(query, 'from');
      const to = msParam(query, 'to');
      const step = msParam(query, 'step');
      const since = sinceParam(query.get('since'));
      if (since !== undefined) {
        if (from !== undefined) throw new HttpError(400, '"since" and "from" both say where the range starts: give one');
        from = Math.max(0, (to ?? Date.now()) - since);
      }
      try {
        return { results: engine.metrics.queryMany({ series: query.getAll('series'), from, to, step }) };
      } catch (err) {
        asHttpError(err);
      }
    },
  },
};
