// The end-to-end probe: one GET through the tunnel's public URL. Through an up tunnel, a failing
// answer (ngrok's and cloudflared's edges answer 502 when the origin is down) means the origin is
// broken, not the tunnel.
import { httpGet } from '../../kit/http-get.ts';
import type { ProbeResult } from './tunnel-state.ts';

export interface ProbeOutcome extends ProbeResult {
  durationMs: number;
}

/** The URL to probe: the configured one, else the first http(s) public URL joined with `path`. */
export function probeTarget(probe: { url: string | null; path: string }, publicUrls: string[]): string | null {
  if (probe.url) return probe.url;
  // A tcp:// or tls:// tunnel cannot be probed over HTTP.
  const base = publicUrls.find((u) => /^https?:\/\//.test(u));
  return base ? base.replace(/\/+$/, '') + probe.path : null;
}

export async function runProbe(url: string, timeoutMs: number, now: () => number): Promise<ProbeOutcome> {
  const started = now();
  try {
    const answer = await httpGet(url, timeoutMs);
    const durationMs = now() - started;
    // 3xx counts as working: an origin that redirects to a login page is up.
    return answer.status < 400
      ? { ok: true, detail: `GET ${url} answered HTTP ${answer.status}`, durationMs }
      : { ok: false, detail: `GET ${url} answered HTTP ${answer.status}`, durationMs };
  } catch (err) {
    return { ok: false, detail: (err as Error).message, durationMs: now() - started };
  }
}
