// The app transport: the preload's window.vigil, which talks to the engine over a MessagePort.
import type { AutoRestartRequest, LiveMessage, MetricsQueryParams, ServiceAction, VigilBridge } from '../../shared/contract.ts';
import type { ConnectionStatus, EngineClient, FlyTokenStore } from './engine-client.ts';

declare global {
  interface Window {
    vigil?: VigilBridge;
  }
}

export class BridgeClient implements EngineClient {
  readonly transport = 'app' as const;
  private readonly bridge: VigilBridge;

  /** One object for the client's lifetime: React effects depend on its identity. */
  readonly flyToken: FlyTokenStore;

  constructor(bridge: VigilBridge) {
    this.bridge = bridge;
    this.flyToken = { status: () => bridge.flyTokenStatus(), set: (token) => bridge.setFlyToken(token) };
  }

  getState() {
    return this.bridge.getState();
  }

  getEvents(options: { since?: number; before?: number; limit?: number } = {}) {
    return options.before === undefined ? this.bridge.getEvents(options.since, options.limit) : this.bridge.getEvents(options.since, options.limit, options.before);
  }

  listSeries() {
    return this.bridge.listSeries();
  }

  queryMetrics(request: MetricsQueryParams) {
    return this.bridge.queryMetrics(request);
  }

  act(service: string, action: ServiceAction) {
    return this.bridge[action](service);
  }

  setAutoRestart(request: AutoRestartRequest) {
    return this.bridge.setAutoRestart(request);
  }

  subscribe(listener: (message: LiveMessage) => void, onStatus?: (status: ConnectionStatus) => void): () => void {
    onStatus?.('connecting');
    let fresh = true;
    const offLive = this.bridge.onLive(listener);
    const offConnection = this.bridge.onConnection((connected) => {
      onStatus?.(connected ? 'open' : 'closed');
      // The engine's first message on a new port is its state; ask anyway in case it came
      // before this subscription.
      if (connected && fresh) {
        fresh = false;
        this.bridge.getState().then((state) => listener({ kind: 'state', state }), () => {});
      }
      if (!connected) fresh = true;
    });
    return () => {
      offLive();
      offConnection();
    };
  }
}
