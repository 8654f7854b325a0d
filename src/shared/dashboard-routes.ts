// Addresses inside the dashboard, for whoever links into it: the app's notifications open a
// service's own view, `vigil open` or a user may too. The dashboard reads them from the
// address's #fragment (src/renderer/route.ts), in the app's window and in a browser alike.

/** The fragment of a service's view (its charts and restarts), with a time range when one is
 * wanted (15m, 1h, 24h, 7d): `#/service/api`, `#/service/api?range=24h`. */
export function serviceViewFragment(service: string, range?: string | null): string {
  const path = `/service/${encodeURIComponent(service)}`;
  return `#${range ? `${path}?${new URLSearchParams({ range })}` : path}`;
}
