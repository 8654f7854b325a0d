// The one interface the dashboard talks to the engine through. Two transports implement it:
// WebSocket + HTTP in a browser (websocket-client.ts), the preload's bridge in the app
// (bridge-client.ts). Its types come from the contract, through the engine protocol.
import type { AutoRestartRequest, EngineResults, LiveMessage, MetricsQueryParams, ServiceAction } from '../../shared/contract.ts';

export type ConnectionStatus = 'connecting' | 'open' | 'closed';

export interface EngineClient {
  readonly transport: 'websocket' | 'app';
  getState(): Promise<EngineResults['state']>;
  /** Recent events, oldest first: the newest `limit` with since < id < before. */
  getEvents(options?: { since?: number; before?: number; limit?: number }): Promise<EngineResults['events']>;
  /** Every series the history keeps, with its first and last sample time. */
  listSeries(): Promise<EngineResults['metrics-series']>;
  /** Points of each series over [from, to] at `step` ms (0: the finest kept); from/to default
   * to the last hour. A bare name stands for each of its label sets. */
  queryMetrics(request: MetricsQueryParams): Promise<EngineResults['metrics-query']>;
  act(service: string, action: ServiceAction): Promise<EngineResults['act']>;
  setAutoRestart(request: AutoRestartRequest): Promise<EngineResults['set-auto-restart']>;
  /** Live messages (the current state first, on every (re)connection; then events, states and
   * a `metrics` tick per sampling tick) and the connection's status; returns the unsubscribe
   * function. A subscription counts as someone looking: sampling runs at the active rate. */
  subscribe(listener: (message: LiveMessage) => void, onStatus?: (status: ConnectionStatus) => void): () => void;
  /** The app keeps the Fly.io token in the system's key store; a browser has no such place
   * (headless Vigil reads FLY_API_TOKEN), so only the app's client offers this. */
  readonly flyToken?: FlyTokenStore;
}

export interface FlyTokenStore {
  status(): Promise<{ stored: boolean; encryption: boolean }>;
  /** An empty token forgets the stored one. */
  set(token: string): Promise<{ stored: boolean }>;
}

/** An API answer that was not a success, with the server's explanation. */
export class EngineRequestError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}
