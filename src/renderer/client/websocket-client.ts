// The browser transport: same-origin fetch for commands, WS /api/events for live updates. Both
// carry the API token (Authorization header; the WebSocket offers it as a subprotocol, since
// browsers cannot set headers there). The token comes from the address's #fragment.
import type { ApiRoutes, AutoRestartRequest, LiveMessage, MetricsApiRoutes, MetricsQueryParams, ServiceAction } from '../../shared/contract.ts';
import { type ConnectionStatus, type EngineClient, EngineRequestError } from './engine-client.ts';

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5000;

export interface WebSocketClientOptions {
  /** The page's location (window.location). */
  origin: { protocol: string; host: string };
  /** The API token; null when the page was opened without one (every call then says how to sign in). */
  token: string | null;
  fetch?: typeof fetch;
  WebSocket?: typeof WebSocket;
}

export class WebSocketClient implements EngineClient {
  readonly transport = 'websocket' as const;
  private readonly options: WebSocketClientOptions;

  constructor(options: WebSocketClientOptions) {
    this.options = options;
  }

  get liveUrl(): string {
    return `${this.options.origin.protocol === 'https:' ? 'wss' : 'ws'}://${this.options.origin.host}/api/events`;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const doFetch = this.options.fetch ?? fetch;
    let res: Response;
    try {
      res = await doFetch(path, {
        method,
        credentials: 'omit',
        headers: {
          ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new EngineRequestError(0, 'Vigil is not reachable: is `vigil serve` still running?');
    }
    const json = (await res.json().catch(() => null)) as { error?: string } | null;
    if (!res.ok) {
      const why = json?.error ?? `${res.status} ${res.statusText}`;
      throw new EngineRequestError(res.status, res.status === 401 ? `${why}. Open the address \`vigil open\` prints to sign in again.` : why);
    }
    return json as T;
  }

  getState() {
    return this.request<ApiRoutes['GET /api/state']>('GET', '/api/state');
  }

  async getEvents(options: { since?: number; before?: number; limit?: number } = {}) {
    const query = new URLSearchParams();
    if (options.since !== undefined) query.set('since', String(options.since));
    if (options.before !== undefined) query.set('before', String(options.before));
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    const q = query.toString();
    return (await this.request<ApiRoutes['GET /api/events']>('GET', `/api/events${q ? `?${q}` : ''}`)).events;
  }

  async listSeries() {
    return (await this.request<MetricsApiRoutes['GET /api/metrics/series']>('GET', '/api/metrics/series')).series;
  }

  async queryMetrics(request: MetricsQueryParams) {
    const query = new URLSearchParams();
    for (const series of request.series) query.append('series', series);
    for (const field of ['from', 'to', 'step'] as const) if (request[field] !== undefined) query.set(field, String(request[field]));
    return (await this.request<MetricsApiRoutes['GET /api/metrics/query']>('GET', `/api/metrics/query?${query}`)).results;
  }

  async act(service: string, action: ServiceAction) {
    const result = await this.request<ApiRoutes['POST /api/services/:name/:action']>('POST', `/api/services/${encodeURIComponent(service)}/${action}`);
    return result.services;
  }

  setAutoRestart(request: AutoRestartRequest) {
    return this.request<ApiRoutes['PUT /api/auto-restart']>('PUT', '/api/auto-restart', request);
  }

  subscribe(listener: (message: LiveMessage) => void, onStatus?: (status: ConnectionStatus) => void): () => void {
    const Socket = this.options.WebSocket ?? WebSocket;
    let socket: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let attempt = 0;
    let stopped = false;
    const open = () => {
      timer = null;
      onStatus?.('connecting');
      const ws = this.options.token ? new Socket(this.liveUrl, [`vigil-token.${this.options.token}`]) : new Socket(this.liveUrl);
      socket = ws;
      ws.onopen = () => {
        attempt = 0;
        onStatus?.('open');
      };
      ws.onmessage = (event) => {
        let message: LiveMessage;
        try {
          message = JSON.parse(String(event.data)) as LiveMessage;
        } catch {
          return;
        }
        listener(message);
      };
      ws.onclose = () => {
        if (stopped) return;
        onStatus?.('closed');
        timer = setTimeout(open, Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** attempt++));
      };
    };
    open();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      socket?.close();
    };
  }
}
