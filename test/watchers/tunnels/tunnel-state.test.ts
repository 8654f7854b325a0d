// The pure rules: which state a reading means, which tunnel an expectation names, which URL changed.
import { describe, expect, it } from 'vitest';
import type { NgrokTunnel } from '../../../src/core/watchers/tunnels/ngrok-client.ts';
import { cloudflaredVerdict, matchesExpectation, ngrokVerdict, urlChanges, withProbe } from '../../../src/core/watchers/tunnels/tunnel-state.ts';

const tunnel = (name: string, localAddr: string | null, publicUrl = `https://${name}.ngrok.app`): NgrokTunnel => ({
  name,
  publicUrl,
  proto: 'https',
  localAddr,
  metrics: { conns: {}, http: {} },
});

describe('matchesExpectation', () => {
  it('matches by name or by local address, with loopback names as one', () => {
    const t = tunnel('web', 'http://localhost:5051');
    expect(matchesExpectation(t, 'web')).toBe(true);
    expect(matchesExpectation(t, '5051')).toBe(true);
    expect(matchesExpectation(t, 'localhost:5051')).toBe(true);
    expect(matchesExpectation(t, '127.0.0.1:5051')).toBe(true);
    expect(matchesExpectation(t, 'http://127.0.0.1:5051')).toBe(true);
    expect(matchesExpectation(t, '5555')).toBe(false);
    expect(matchesExpectation(t, 'db.internal:5051')).toBe(false);
    expect(matchesExpectation(t, 'web2')).toBe(false);
    expect(matchesExpectation(tunnel('x', '80'), '80')).toBe(true);
    expect(matchesExpectation(tunnel('x', 'http://localhost'), '80')).toBe(true);
  });
});

describe('ngrokVerdict', () => {
  it('is down when unreachable, degraded without the expected tunnels, up with them', () => {
    expect(ngrokVerdict({ reachable: false, error: 'gone' }, [])).toMatchObject({ state: 'down', error: 'gone' });
    expect(ngrokVerdict({ reachable: true, tunnels: [], error: 'bad JSON' }, [])).toMatchObject({ state: 'degraded', error: 'bad JSON' });
    expect(ngrokVerdict({ reachable: true, tunnels: [], error: null }, [])).toMatchObject({ state: 'degraded', error: 'the ngrok agent is running but has no tunnel open' });
    expect(ngrokVerdict({ reachable: true, tunnels: [tunnel('a', 'localhost:1')], error: null }, [])).toMatchObject({ state: 'up', publicUrls: ['https://a.ngrok.app'], urlsByKey: { a: 'https://a.ngrok.app' } });
    const two = { reachable: true as const, tunnels: [tunnel('a', 'localhost:1'), tunnel('b', 'localhost:2')], error: null };
    expect(ngrokVerdict(two, ['b'])).toMatchObject({ state: 'up', publicUrls: ['https://b.ngrok.app'] });
    expect(ngrokVerdict(two, ['3', 'c'])).toMatchObject({ state: 'degraded', error: 'expected tunnels 3, c are missing (it runs: a -> localhost:1, b -> localhost:2)' });
  });
});

describe('cloudflaredVerdict', () => {
  const reading = (readyConnections: number | null, hostname: string | null = null, error: string | null = null) => ({ reachable: true as const, readyConnections, connectorId: null, hostname, counters: null, error });
  it('is up with all connections, degraded with fewer, down with none or unreachable', () => {
    expect(cloudflaredVerdict(reading(4, 'q.trycloudflare.com'), 4)).toMatchObject({ state: 'up', publicUrls: ['https://q.trycloudflare.com'] });
    expect(cloudflaredVerdict(reading(5), 4).state).toBe('up');
    expect(cloudflaredVerdict(reading(1), 4)).toMatchObject({ state: 'degraded', error: 'only 1 of 4 edge connections ready' });
    expect(cloudflaredVerdict(reading(0), 4).state).toBe('down');
    expect(cloudflaredVerdict(reading(null, null, 'garbled'), 4)).toMatchObject({ state: 'degraded', error: 'garbled' });
    expect(cloudflaredVerdict({ reachable: false, error: 'refused' }, 4)).toMatchObject({ state: 'down', error: 'refused' });
  });
});

describe('withProbe', () => {
  it('degrades only an up tunnel whose probe fails', () => {
    const up = { state: 'up' as const, error: null, publicUrls: ['u'], urlsByKey: {} };
    expect(withProbe(up, { ok: false, detail: 'HTTP 502' })).toMatchObject({ state: 'degraded', error: 'tunnel up but the origin behind it fails: HTTP 502' });
    expect(withProbe(up, { ok: true, detail: 'HTTP 200' })).toBe(up);
    const down = { state: 'down' as const, error: 'gone', publicUrls: [], urlsByKey: {} };
    expect(withProbe(down, { ok: false, detail: 'x' })).toBe(down);
  });
});

describe('urlChanges', () => {
  it('reports keys whose URL changed, not new or vanished ones', () => {
    expect(urlChanges({ a: 'https://1', b: 'https://2' }, { a: 'https://1b', c: 'https://3' })).toEqual([{ key: 'a', oldUrl: 'https://1', newUrl: 'https://1b' }]);
    expect(urlChanges({}, { a: 'x' })).toEqual([]);
  });
});
