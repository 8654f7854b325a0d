// What the preload puts on `window.vigil` for the renderer, across context isolation: named
// actions only, typed from the engine protocol (itself typed from the HTTP contract). No
// channel names, no ports, no Electron event objects.
import type { EngineResults } from './engine-protocol.ts';
import type { LiveMessage } from './events.ts';
import type { MetricsQueryParams } from './metrics.ts';
import type { AutoRestartRequest } from './services.ts';

export interface VigilBridge {
  getState(): Promise<EngineResults['state']>;
  getEvents(since?: number, limit?: number, before?: number): Promise<EngineResults['events']>;
  /** Every series kept, with its first and last sample time. */
  listSeries(): Promise<EngineResults['metrics-series']>;
  /** Points of each series asked for (bare names stand for each of their label sets). */
  queryMetrics(request: MetricsQueryParams): Promise<EngineResults['metrics-query']>;
  start(service: string): Promise<EngineResults['act']>;
  stop(service: string): Promise<EngineResults['act']>;
  restart(service: string): Promise<EngineResults['act']>;
  setAutoRestart(request: AutoRestartRequest): Promise<EngineResults['set-auto-restart']>;
  /** Live state, events and metrics ticks; returns the unsubscribe function. */
  onLive(listener: (message: LiveMessage) => void): () => void;
  /** Told true when a (new) connection to the engine is up, false when it is lost. */
  onConnection(listener: (connected: boolean) => void): () => void;
  /** Opens http://127.0.0.1:port/ in the user's browser. */
  openService(port: number): Promise<void>;
  hideWindow(): Promise<void>;
  /** The Fly.io API token in the system's key store: whether one is stored, and storing one
   * (empty forgets it). The token itself never comes back to the page. */
  flyTokenStatus(): Promise<{ stored: boolean; encryption: boolean }>;
  setFlyToken(token: string): Promise<{ stored: boolean }>;
}

export const BRIDGE_KEY = 'vigil';
