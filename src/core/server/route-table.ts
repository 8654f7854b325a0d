// The shape of a table of HTTP routes, and how a request finds its entry. A table is typed over
// a route map of the contract (ApiRoutes in src/shared/api-routes.ts, MetricsApiRoutes in
// src/shared/metrics.ts): one entry per route, each answering that route's payload, so a route
// cannot be added to the contract and forgotten here, or the other way round.
import type { Engine } from '../engine.ts';

export interface RouteRequest {
  /** The path's :params, %-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body, for routes that read one (undefined otherwise). */
  body: unknown;
}

/** Who may call a route: holders of the API token (the default), or Prometheus with the scrape
 * token (see prometheus/scrape-access.ts). Neither token opens the other's routes. */
export type RouteAccess = 'api' | 'scrape';

export interface RouteSpec<T> {
  /** Query parameters the route reads. */
  query?: readonly string[];
  /** True when the route reads a JSON body; the others ignore theirs (up to the size limit). */
  body?: true;
  /** Default 'api'. */
  access?: RouteAccess;
  /** Set for a route that answers text rather than JSON (only a route whose answer is a string
   * can): its answer is sent as is, with this content type. */
  contentType?: T extends string ? string : never;
  handle(engine: Engine, request: RouteRequest): T | Promise<T>;
}

/** One entry per route of `Routes` ("METHOD /path/:param" -> what it answers). */
export type RouteTable<Routes> = { readonly [K in keyof Routes & string]: RouteSpec<Routes[K]> };

export function routeKeys<Routes>(table: RouteTable<Routes>): (keyof Routes & string)[] {
  return Object.keys(table) as (keyof Routes & string)[];
}

export type RouteMatch<Key extends string> = { key: Key; params: Record<string, string> } | { key: null; allow: string[] };

/** Who may call `method` on the path of `segments`: the route's access when there is one; for a
 * method the path does not take, the access of the path's routes (so a POST to /metrics is
 * checked like a scrape and gets its 405); for a path no route has, the API's. */
export function accessFor<Routes>(table: RouteTable<Routes>, match: RouteMatch<keyof Routes & string>, segments: string[]): RouteAccess {
  if (!('allow' in match)) return table[match.key].access ?? 'api';
  const [other] = match.allow;
  if (other === undefined) return 'api';
  const sibling = matchRoute(table, other, segments);
  return sibling.key === null ? 'api' : (table[sibling.key].access ?? 'api');
}

/** The route for a method and path; when the path fits only other methods' routes, those
 * methods (for a 405). `segments` are the path's parts, already %-decoded. */
export function matchRoute<Routes>(table: RouteTable<Routes>, method: string, segments: string[]): RouteMatch<keyof Routes & string> {
  const allow: string[] = [];
  for (const key of routeKeys(table)) {
    const [routeMethod, pattern] = key.split(' ') as [string, string];
    const parts = pattern.split('/').filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const fits = parts.every((part, i) => {
      if (part.startsWith(':')) {
        params[part.slice(1)] = segments[i]!;
        return true;
      }
      return part === segments[i];
    });
    if (!fits) continue;
    if (routeMethod === method) return { key, params };
    allow.push(routeMethod);
  }
  return { key: null, allow };
}
