// Where the dashboard is, from the address's #fragment: `#/service/NAME[?range=1h]` for a
// service's charts, anything else for the overview. The fragment may also carry the API token
// (`#token=...` as `vigil open` prints it, or `#/service/NAME?token=...` from a deep link);
// pick-client.ts takes the token out and leaves the route. Pure, so it is tested without a DOM.
import { serviceViewFragment } from '../shared/dashboard-routes.ts';

export type Route = { view: 'overview' } | { view: 'service'; service: string; range: string | null };

/** A fragment (without '#') split into its path (`/service/api`, or '' for none) and its
 * parameters: `token=abc` has no path, `/service/api?range=1h` has both. */
export function splitFragment(fragment: string): { path: string; params: URLSearchParams } {
  const text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (!text.startsWith('/')) return { path: '', params: new URLSearchParams(text) };
  const q = text.indexOf('?');
  return q < 0 ? { path: text, params: new URLSearchParams() } : { path: text.slice(0, q), params: new URLSearchParams(text.slice(q + 1)) };
}

/** The fragment again, from a path and parameters ('' when both are empty). */
export function joinFragment(path: string, params: URLSearchParams): string {
  const query = params.toString();
  if (!path) return query;
  return query ? `${path}?${query}` : path;
}

export function parseRoute(fragment: string): Route {
  const { path, params } = splitFragment(fragment);
  const match = /^\/service\/([^/]+)\/?$/.exec(path);
  if (!match) return { view: 'overview' };
  let service: string;
  try {
    service = decodeURIComponent(match[1]!);
  } catch {
    return { view: 'overview' };
  }
  return { view: 'service', service, range: params.get('range') };
}

/** The fragment of a route, for links: `#/service/api`, `#/service/api?range=24h`, `#/`. */
export function routeHref(route: Route): string {
  return route.view === 'overview' ? '#/' : serviceViewFragment(route.service, route.range);
}
