import { describe, expect, it } from 'vitest';
import { joinFragment, parseRoute, routeHref, splitFragment } from '../../src/renderer/route.ts';

describe('dashboard routes', () => {
  it('reads the service view and its range from the fragment', () => {
    expect(parseRoute('#/service/server')).toEqual({ view: 'service', service: 'server', range: null });
    expect(parseRoute('/service/web%20app?range=24h')).toEqual({ view: 'service', service: 'web app', range: '24h' });
    expect(parseRoute('')).toEqual({ view: 'overview' });
    expect(parseRoute('#/')).toEqual({ view: 'overview' });
    expect(parseRoute('#token=abc')).toEqual({ view: 'overview' });
    expect(parseRoute('#/service/%E0%A4%A')).toEqual({ view: 'overview' });
    expect(parseRoute('#/service/a/b')).toEqual({ view: 'overview' });
  });

  it('writes links that read back as the same route', () => {
    const route = { view: 'service', service: 'web/app', range: '7d' } as const;
    expect(routeHref(route)).toBe('#/service/web%2Fapp?range=7d');
    expect(parseRoute(routeHref(route))).toEqual(route);
    expect(routeHref({ view: 'overview' })).toBe('#/');
  });

  it('splits the token off a fragment and keeps the route', () => {
    const plain = splitFragment('#token=abc');
    expect(plain.path).toBe('');
    expect(plain.params.get('token')).toBe('abc');
    const deep = splitFragment('#/service/api?token=abc&range=1h');
    expect(deep.path).toBe('/service/api');
    deep.params.delete('token');
    expect(joinFragment(deep.path, deep.params)).toBe('/service/api?range=1h');
    plain.params.delete('token');
    expect(joinFragment(plain.path, plain.params)).toBe('');
  });
});
