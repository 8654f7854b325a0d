// How the CLI reaches a running engine: the port from VIGIL_HOME/engine.json, the token from
// VIGIL_HOME/token, and plain HTTP on 127.0.0.1.
import { vigilPaths } from '../core/paths.ts';
import { readJsonFile } from '../core/kit/json-file.ts';
import { readToken } from '../core/server/token.ts';
import { DEFAULT_API_PORT, type MetricsApiRoutes } from '../shared/contract.ts';

export class EngineUnreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineUnreachable';
  }
}

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface EngineAddress {
  port: number;
  token: string;
  home: string;
}

export function engineAddress(portOverride?: number): EngineAddress {
  const paths = vigilPaths();
  const recorded = readJsonFile<{ port?: number }>(paths.engine, {});
  // No token yet: no engine has ever run with this VIGIL_HOME. A planted link or a token
  // others can read throws, with what to do.
  const token = readToken(paths.token) ?? '';
  return { port: portOverride ?? recorded.port ?? DEFAULT_API_PORT, token, home: paths.home };
}

export class EngineClient {
  readonly address: EngineAddress;

  constructor(address: EngineAddress = engineAddress()) {
    this.address = address;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.address.port}`;
  }

  async request<T>(method: string, route: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.baseUrl + route, {
        method,
        headers: {
          authorization: `Bearer ${this.address.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch {
      throw new EngineUnreachable(
        `Vigil is not running: nothing answers on 127.0.0.1:${this.address.port} (VIGIL_HOME=${this.address.home}). Start it with "vigil serve".`,
      );
    }
    const text = await res.text();
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = { error: text };
    }
    if (!res.ok) throw new ApiError(res.status, (data as { error?: string }).error ?? `HTTP ${res.status}`);
    return data as T;
  }

  get<T>(route: string): Promise<T> {
    return this.request<T>('GET', route);
  }

  /** Every series the history keeps. */
  async metricsSeries(): Promise<MetricsApiRoutes['GET /api/metrics/series']['series']> {
    return (await this.get<MetricsApiRoutes['GET /api/metrics/series']>('/api/metrics/series')).series;
  }

  /** Points of each series (bare names stand for each label set) over the last `since`
   * ("1h", "7d"), every `stepMs` (absent: the finest kept). */
  async queryMetrics(series: string[], options: { since: string; stepMs?: number }): Promise<MetricsApiRoutes['GET /api/metrics/query']['results']> {
    const query = new URLSearchParams(series.map((s) => ['series', s]));
    query.set('since', options.since);
    if (options.stepMs !== undefined) query.set('step', String(options.stepMs));
    return (await this.get<MetricsApiRoutes['GET /api/metrics/query']>(`/api/metrics/query?${query}`)).results;
  }

  liveUrl(): string {
    return `ws://127.0.0.1:${this.address.port}/api/events`;
  }
}
