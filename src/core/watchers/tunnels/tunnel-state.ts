// What a tunnel's state is, decided from one reading of its agent: pure functions, so the rules
// are tested without any server. The watcher adds only time (polls, backoff, restarts).
import type { TunnelState } from '../../../shared/contract.ts';
import type { CloudflaredReading } from './cloudflared-client.ts';
import type { NgrokTunnel, NgrokReading } from './ngrok-client.ts';

export interface Verdict {
  state: TunnelState;
  /** What is wrong, for the user; null when up. */
  error: string | null;
  /** The public URLs that matter now (ngrok: the expected tunnels', or all when none expected). */
  publicUrls: string[];
  /** The same URLs by a key that survives an agent restart (the tunnel's name), to spot changes. */
  urlsByKey: Record<string, string>;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0']);

/** "5051", "localhost:5051", "http://localhost:5051" -> host and port; anything else is a name. */
export function parseLocalAddress(text: string): { host: string | null; port: number } | null {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  const rest = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '');
  if (/^\d{1,5}$/.test(rest)) return { host: null, port: Number(rest) };
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(rest);
  if (m) return { host: m[1]!.toLowerCase(), port: Number(m[2]) };
  // "http://localhost" forwards to the scheme's port.
  if (scheme === 'http' || scheme === 'https') return { host: rest.toLowerCase(), port: scheme === 'http' ? 80 : 443 };
  return null;
}

const sameHost = (a: string | null, b: string | null) => a === null || b === null || a === b || (LOOPBACK.has(a) && LOOPBACK.has(b));

/** An expectation names a tunnel, or the local address it forwards to (5051, "localhost:5051"). */
export function matchesExpectation(tunnel: NgrokTunnel, expectation: string): boolean {
  if (tunnel.name === expectation) return true;
  const wanted = /^[a-z][a-z0-9+.-]*:\/\//i.test(expectation) || /^(\d{1,5}|[^\s:]+:\d{1,5})$/.test(expectation) ? parseLocalAddress(expectation) : null;
  if (!wanted || !tunnel.localAddr) return false;
  const actual = parseLocalAddress(tunnel.localAddr);
  return actual !== null && actual.port === wanted.port && sameHost(actual.host, wanted.host);
}

const describe = (t: NgrokTunnel) => (t.localAddr ? `${t.name} -> ${t.localAddr}` : t.name);

export function ngrokVerdict(reading: NgrokReading, expect: string[]): Verdict {
  if (!reading.reachable) return { state: 'down', error: reading.error, publicUrls: [], urlsByKey: {} };
  if (reading.error) return { state: 'degraded', error: reading.error, publicUrls: [], urlsByKey: {} };
  const relevant = expect.length === 0 ? reading.tunnels : reading.tunnels.filter((t) => expect.some((e) => matchesExpectation(t, e)));
  const urlsByKey: Record<string, string> = {};
  for (const t of relevant) urlsByKey[t.name] = t.publicUrl;
  const publicUrls = relevant.map((t) => t.publicUrl);
  const running = reading.tunnels.length === 0 ? 'it runs none' : `it runs: ${reading.tunnels.map(describe).join(', ')}`;
  if (expect.length === 0) {
    return reading.tunnels.length > 0
      ? { state: 'up', error: null, publicUrls, urlsByKey }
      : { state: 'degraded', error: 'the ngrok agent is running but has no tunnel open', publicUrls, urlsByKey };
  }
  const missing = expect.filter((e) => !reading.tunnels.some((t) => matchesExpectation(t, e)));
  if (missing.length === 0) return { state: 'up', error: null, publicUrls, urlsByKey };
  const what = missing.length === 1 ? `expected tunnel ${missing[0]} is missing` : `expected tunnels ${missing.join(', ')} are missing`;
  return { state: 'degraded', error: `${what} (${running})`, publicUrls, urlsByKey };
}

export function cloudflaredVerdict(reading: CloudflaredReading, expected: number): Verdict {
  if (!reading.reachable) return { state: 'down', error: reading.error, publicUrls: [], urlsByKey: {} };
  const url = reading.hostname ? `https://${reading.hostname}` : null;
  const publicUrls = url ? [url] : [];
  const urlsByKey: Record<string, string> = url ? { quicktunnel: url } : {};
  if (reading.error || reading.readyConnections === null) return { state: 'degraded', error: reading.error ?? 'cloudflared did not say how many connections are ready', publicUrls, urlsByKey };
  const ready = reading.readyConnections;
  if (ready === 0) return { state: 'down', error: `cloudflared runs but has no ready edge connection (0 of ${expected})`, publicUrls: [], urlsByKey: {} };
  if (ready < expected) return { state: 'degraded', error: `only ${ready} of ${expected} edge connections ready`, publicUrls, urlsByKey };
  return { state: 'up', error: null, publicUrls, urlsByKey };
}

export interface ProbeResult {
  ok: boolean;
  detail: string;
}

/** A failing probe through an up tunnel means the tunnel works and what is behind it does not. */
export function withProbe(verdict: Verdict, probe: ProbeResult | null): Verdict {
  if (verdict.state !== 'up' || !probe || probe.ok) return verdict;
  return { ...verdict, state: 'degraded', error: `tunnel up but the origin behind it fails: ${probe.detail}` };
}

export interface UrlChange {
  key: string;
  oldUrl: string;
  newUrl: string;
}

/** URLs that changed since last known, by key. `known` keeps URLs across outages, so an agent
 * that restarts with a new free URL (down, then up elsewhere) is reported as a change. */
export function urlChanges(known: Record<string, string>, current: Record<string, string>): UrlChange[] {
  const changes: UrlChange[] = [];
  for (const [key, newUrl] of Object.entries(current)) {
    const oldUrl = known[key];
    if (oldUrl !== undefined && oldUrl !== newUrl) changes.push({ key, oldUrl, newUrl });
  }
  return changes;
}
