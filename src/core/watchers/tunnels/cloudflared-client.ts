// Reads cloudflared's metrics server (https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/monitor-tunnels/metrics/):
// GET /ready says how many edge connections are registered (200 with at least one, 503 with
// none, same JSON body either way), GET /quicktunnel names a quick tunnel's hostname, and
// /metrics carries request counters in Prometheus text. Nothing here throws.
import { baseUrl, httpGet, parseJson } from '../../kit/http-get.ts';

export interface CloudflaredCounters {
  totalRequests: number | null;
  requestErrors: number | null;
  haConnections: number | null;
}

export type CloudflaredReading =
  | { reachable: false; error: string }
  /** `error` is set when the server answered but /ready could not be understood. */
  | {
      reachable: true;
      readyConnections: number | null;
      connectorId: string | null;
      /** A quick tunnel's public hostname (e.g. "x.trycloudflare.com"); null for named tunnels. */
      hostname: string | null;
      counters: CloudflaredCounters | null;
      error: string | null;
    };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The body of /ready: `{"status":200,"readyConnections":4,"connectorId":"<uuid>"}`. */
export function parseReadyBody(value: unknown): { readyConnections: number; connectorId: string | null } | string {
  if (!isObject(value)) return 'expected an object';
  const n = value.readyConnections;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return 'expected "readyConnections" to be a whole number';
  return { readyConnections: n, connectorId: typeof value.connectorId === 'string' ? value.connectorId : null };
}

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A small Prometheus text-format reader: enough for cloudflared's counters and gauges
 * (`name{label="v"} value [timestamp]`); comments and lines it does not understand are skipped. */
export function parsePrometheusText(text: string): PromSample[] {
  const samples: PromSample[] = [];
  const line = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/;
  const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
  for (const raw of text.split('\n')) {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const m = line.exec(trimmed);
    if (!m) continue;
    const value = Number(m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : m[3]);
    if (Number.isNaN(value) && m[3] !== 'NaN') continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(label)) labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: m[1]!, labels, value });
  }
  return samples;
}

/** The sum over all label sets of `name`, or null when the metric is absent. */
export function sumMetric(samples: PromSample[], name: string): number | null {
  const matching = samples.filter((s) => s.name === name);
  return matching.length === 0 ? null : matching.reduce((sum, s) => sum + s.value, 0);
}

async function readCounters(base: string, timeoutMs: number): Promise<CloudflaredCounters | null> {
  try {
    const answer = await httpGet(`${base}/metrics`, timeoutMs);
    if (answer.status !== 200) return null;
    const samples = parsePrometheusText(answer.body);
    return {
      totalRequests: sumMetric(samples, 'cloudflared_tunnel_total_requests'),
      requestErrors: sumMetric(samples, 'cloudflared_tunnel_request_errors'),
      haConnections: sumMetric(samples, 'cloudflared_tunnel_ha_connections'),
    };
  } catch {
    return null;
  }
}

async function readQuickTunnel(base: string, timeoutMs: number): Promise<string | null> {
  try {
    const answer = await httpGet(`${base}/quicktunnel`, timeoutMs);
    if (answer.status !== 200) return null;
    const json = parseJson(answer.body, 'quicktunnel');
    // Named tunnels answer {"hostname":""}: no quick tunnel.
    return json.ok && isObject(json.value) && typeof json.value.hostname === 'string' && json.value.hostname !== '' ? json.value.hostname : null;
  } catch {
    return null;
  }
}

/** One look at the metrics server at `address` ("127.0.0.1:20241" or a URL). Never rejects.
 * `withCounters` also reads /metrics (a larger answer, so optional). */
export async function readCloudflared(address: string, timeoutMs: number, withCounters = true): Promise<CloudflaredReading> {
  const base = baseUrl(address);
  let ready: Awaited<ReturnType<typeof httpGet>>;
  try {
    ready = await httpGet(`${base}/ready`, timeoutMs);
  } catch (err) {
    return { reachable: false, error: `cloudflared metrics server unreachable at ${base}: ${(err as Error).message}` };
  }
  const [hostname, counters] = await Promise.all([readQuickTunnel(base, timeoutMs), withCounters ? readCounters(base, timeoutMs) : Promise.resolve(null)]);
  const fail = (error: string): CloudflaredReading => ({ reachable: true, readyConnections: null, connectorId: null, hostname, counters, error });
  if (ready.status !== 200 && ready.status !== 503) return fail(`cloudflared at ${base} answered GET /ready with HTTP ${ready.status} (expected 200 or 503)`);
  const json = parseJson(ready.body, `cloudflared's answer to GET /ready at ${base}`);
  if (!json.ok) return fail(json.error);
  const parsed = parseReadyBody(json.value);
  if (typeof parsed === 'string') return fail(`cloudflared's answer to GET /ready at ${base} has an unexpected shape (${parsed})`);
  return { reachable: true, readyConnections: parsed.readyConnections, connectorId: parsed.connectorId, hostname, counters, error: null };
}

async function looksLikeCloudflared(base: string, timeoutMs: number): Promise<boolean> {
  try {
    const ready = await httpGet(`${base}/ready`, timeoutMs);
    if (ready.status !== 200 && ready.status !== 503) return false;
    const json = parseJson(ready.body, 'ready');
    return json.ok && typeof parseReadyBody(json.value) !== 'string';
  } catch {
    return false;
  }
}

/** The first of `ports` on `host` where cloudflared's metrics server answers /ready, or null. */
export async function discoverCloudflared(host: string, ports: number[], timeoutMs: number): Promise<string | null> {
  const bases = ports.map((port) => `http://${host}:${port}`);
  const found = await Promise.all(bases.map((base) => looksLikeCloudflared(base, timeoutMs)));
  return bases[found.indexOf(true)] ?? null;
}
