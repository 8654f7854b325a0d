// Reads the ngrok agent's local API (https://ngrok.com/docs/agent/api/): GET /api/tunnels
// (deprecated since agent 3.30, still served) and GET /api/endpoints (3.30+). Both are read and
// merged so that old and new agents alike are understood. Nothing here throws: every failure
// comes back as a reading with an error that says what went wrong and where.
import { baseUrl, httpGet, parseJson } from '../../kit/http-get.ts';

const METRIC_FIELDS = ['count', 'gauge', 'rate1', 'rate5', 'rate15', 'p50', 'p90', 'p95', 'p99'] as const;
export type NgrokMetricField = (typeof METRIC_FIELDS)[number];
/** The agent's numbers as it gives them (`http` has no gauge); fields it left out are absent. */
export type NgrokMetricGroup = Partial<Record<NgrokMetricField, number>>;

export interface NgrokTunnel {
  name: string;
  publicUrl: string;
  proto: string | null;
  /** Where the tunnel forwards to: config.addr (/api/tunnels) or upstream.url (/api/endpoints). */
  localAddr: string | null;
  metrics: { conns: NgrokMetricGroup; http: NgrokMetricGroup };
}

export type NgrokReading =
  /** No answer at all: the agent is not running (or not at this address). */
  | { reachable: false; error: string }
  /** The agent answered. `error` is set when it answered but no tunnel list could be read. */
  | { reachable: true; tunnels: NgrokTunnel[]; error: string | null };

type SourceResult =
  | { kind: 'unreachable'; error: string }
  | { kind: 'missing' } // 404: an agent too old (endpoints) or too new (tunnels) for this route
  | { kind: 'bad'; error: string }
  | { kind: 'ok'; tunnels: NgrokTunnel[] };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

function readMetricGroup(v: unknown): NgrokMetricGroup {
  const group: NgrokMetricGroup = {};
  if (!isObject(v)) return group;
  for (const field of METRIC_FIELDS) {
    const n = v[field];
    if (typeof n === 'number' && Number.isFinite(n)) group[field] = n;
  }
  return group;
}

function readMetrics(v: unknown): NgrokTunnel['metrics'] {
  const m = isObject(v) ? v : {};
  return { conns: readMetricGroup(m.conns), http: readMetricGroup(m.http) };
}

/** The body of GET /api/tunnels: `{"tunnels":[{name, public_url, proto, config:{addr}, metrics}]}`. */
export function parseTunnelsBody(value: unknown): NgrokTunnel[] | string {
  if (!isObject(value) || !Array.isArray(value.tunnels)) return 'expected an object with a "tunnels" list';
  const out: NgrokTunnel[] = [];
  for (const item of value.tunnels) {
    // An entry without a public URL is useless to Vigil; skip it rather than reject the list.
    if (!isObject(item) || !str(item.public_url)) continue;
    const config = isObject(item.config) ? item.config : {};
    out.push({
      name: str(item.name) ?? str(item.public_url)!,
      publicUrl: str(item.public_url)!,
      proto: str(item.proto),
      localAddr: str(config.addr),
      metrics: readMetrics(item.metrics),
    });
  }
  return out;
}

/** The body of GET /api/endpoints: `{"endpoints":[{name, url, upstream:{url, protocol}, metrics}]}`. */
export function parseEndpointsBody(value: unknown): NgrokTunnel[] | string {
  if (!isObject(value) || !Array.isArray(value.endpoints)) return 'expected an object with an "endpoints" list';
  const out: NgrokTunnel[] = [];
  for (const item of value.endpoints) {
    if (!isObject(item) || !str(item.url)) continue;
    const upstream = isObject(item.upstream) ? item.upstream : {};
    const url = str(item.url)!;
    out.push({
      name: str(item.name) ?? url,
      publicUrl: url,
      proto: str(upstream.protocol) ?? (url.includes('://') ? url.slice(0, url.indexOf('://')) : null),
      localAddr: str(upstream.url),
      metrics: readMetrics(item.metrics),
    });
  }
  return out;
}

async function readSource(api: string, route: string, parse: (v: unknown) => NgrokTunnel[] | string, timeoutMs: number): Promise<SourceResult> {
  let answer: Awaited<ReturnType<typeof httpGet>>;
  try {
    answer = await httpGet(`${api}${route}`, timeoutMs);
  } catch (err) {
    return { kind: 'unreachable', error: (err as Error).message };
  }
  if (answer.status === 404) return { kind: 'missing' };
  if (answer.status !== 200) return { kind: 'bad', error: `GET ${route} answered HTTP ${answer.status}` };
  const json = parseJson(answer.body, `the answer to GET ${route}`);
  if (!json.ok) return { kind: 'bad', error: json.error };
  const parsed = parse(json.value);
  return typeof parsed === 'string' ? { kind: 'bad', error: `the answer to GET ${route} has an unexpected shape (${parsed})` } : { kind: 'ok', tunnels: parsed };
}

/** Both lists describe the same tunnels; merged by public URL, /api/endpoints first (newer). */
export function mergeTunnels(...lists: NgrokTunnel[][]): NgrokTunnel[] {
  const byUrl = new Map<string, NgrokTunnel>();
  for (const list of lists) {
    for (const t of list) {
      const seen = byUrl.get(t.publicUrl);
      if (!seen) {
        byUrl.set(t.publicUrl, t);
        continue;
      }
      byUrl.set(t.publicUrl, {
        name: seen.name,
        publicUrl: seen.publicUrl,
        proto: seen.proto ?? t.proto,
        localAddr: seen.localAddr ?? t.localAddr,
        metrics: {
          conns: { ...t.metrics.conns, ...seen.metrics.conns },
          http: { ...t.metrics.http, ...seen.metrics.http },
        },
      });
    }
  }
  return [...byUrl.values()];
}

/** One look at the agent at `api` (e.g. "http://127.0.0.1:4040"). Never rejects. */
export async function readNgrokAgent(api: string, timeoutMs: number): Promise<NgrokReading> {
  const base = baseUrl(api);
  const [endpoints, tunnels] = await Promise.all([
    readSource(base, '/api/endpoints', parseEndpointsBody, timeoutMs),
    readSource(base, '/api/tunnels', parseTunnelsBody, timeoutMs),
  ]);
  if (endpoints.kind === 'unreachable' && tunnels.kind === 'unreachable') {
    return { reachable: false, error: `ngrok agent unreachable at ${base}: ${tunnels.error}` };
  }
  const ok = [endpoints, tunnels].flatMap((r) => (r.kind === 'ok' ? [r.tunnels] : []));
  if (ok.length > 0) return { reachable: true, tunnels: mergeTunnels(...ok), error: null };
  const problems = [endpoints, tunnels].flatMap((r) => (r.kind === 'bad' || r.kind === 'unreachable' ? [r.error] : []));
  const error =
    problems.length > 0
      ? `ngrok agent at ${base} answered, but its tunnel list could not be read: ${problems.join('; ')}`
      : `${base} serves neither /api/tunnels nor /api/endpoints: is it an ngrok agent's web_addr?`;
  return { reachable: true, tunnels: [], error };
}

/** Whether an ngrok agent answers at `base`: GET /api/status (agent 3.9+), else an older
 * agent's /api/tunnels. */
async function looksLikeNgrokAgent(base: string, timeoutMs: number): Promise<boolean> {
  try {
    const status = await httpGet(`${base}/api/status`, timeoutMs);
    if (status.status === 200) {
      const json = parseJson(status.body, 'status');
      return json.ok && isObject(json.value) && ('status' in json.value || 'session' in json.value || 'uri' in json.value);
    }
    if (status.status !== 404) return false;
    const tunnels = await httpGet(`${base}/api/tunnels`, timeoutMs);
    const json = parseJson(tunnels.body, 'tunnels');
    return tunnels.status === 200 && json.ok && typeof parseTunnelsBody(json.value) !== 'string';
  } catch {
    return false;
  }
}

/** The first of `ports` (in order) on `host` where an ngrok agent answers, as a base URL, or
 * null. All ports are tried at once so discovery costs one timeout, not one per port. */
export async function discoverNgrokAgent(host: string, ports: number[], timeoutMs: number): Promise<string | null> {
  const bases = ports.map((port) => `http://${host}:${port}`);
  const found = await Promise.all(bases.map((base) => looksLikeNgrokAgent(base, timeoutMs)));
  return bases[found.indexOf(true)] ?? null;
}
