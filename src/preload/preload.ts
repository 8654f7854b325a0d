// The preload (sandboxed, context-isolated): holds the renderer's MessagePort to the engine and
// exposes named actions on window.vigil. The port, ipcRenderer and Electron's event objects
// never reach the page.
import { contextBridge, ipcRenderer } from 'electron';
import {
  BRIDGE_KEY,
  ENGINE_PORT_CHANNEL,
  type EngineMethod,
  type EngineRequest,
  type EngineResults,
  type IpcChannel,
  type IpcRequest,
  type IpcResponse,
  type LiveMessage,
  type VigilBridge,
} from '../shared/contract.ts';
import { fromDomMessagePort } from '../shared/endpoints.ts';
import { EngineGoneError, EnginePortClient } from '../shared/port-client.ts';

function invoke<C extends IpcChannel>(channel: C, ...payload: IpcRequest<C> extends undefined ? [] : [IpcRequest<C>]): Promise<IpcResponse<C>> {
  return ipcRenderer.invoke(channel, ...payload) as Promise<IpcResponse<C>>;
}

let client: EnginePortClient | null = null;
let waiters: Array<(client: EnginePortClient) => void> = [];
const liveListeners = new Set<(message: LiveMessage) => void>();
const connectionListeners = new Set<(connected: boolean) => void>();

ipcRenderer.on(ENGINE_PORT_CHANNEL, (event) => {
  const port = event.ports[0];
  if (!port) return;
  client?.close();
  const next = new EnginePortClient(fromDomMessagePort(port));
  client = next;
  next.onLive((message) => liveListeners.forEach((l) => l(message)));
  next.onClose(() => {
    if (client === next) {
      client = null;
      connectionListeners.forEach((l) => l(false));
    }
  });
  connectionListeners.forEach((l) => l(true));
  waiters.splice(0).forEach((resolve) => resolve(next));
});

const CONNECT_TIMEOUT_MS = 15_000;

/** The current connection, or the next one (the engine may be starting or restarting). */
function connection(): Promise<EnginePortClient> {
  if (client && !client.isClosed) return Promise.resolve(client);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiters = waiters.filter((w) => w !== done);
      reject(new EngineGoneError('the engine is not running (see the tray menu)'));
    }, CONNECT_TIMEOUT_MS);
    const done = (c: EnginePortClient) => {
      clearTimeout(timer);
      resolve(c);
    };
    waiters.push(done);
  });
}

async function call<M extends EngineMethod>(request: Extract<EngineRequest, { method: M }>): Promise<EngineResults[M]> {
  return (await connection()).call<M>(request);
}

const bridge: VigilBridge = {
  getState: () => call({ method: 'state' }),
  getEvents: (since, limit, before) => call({ method: 'events', since, limit, before }),
  listSeries: () => call({ method: 'metrics-series' }),
  // Rebuilt field by field: only plain data of the expected shape crosses to the engine.
  queryMetrics: (request) =>
    call({
      method: 'metrics-query',
      series: Array.isArray(request?.series) ? request.series.map(String) : [],
      ...(request?.from === undefined ? {} : { from: Number(request.from) }),
      ...(request?.to === undefined ? {} : { to: Number(request.to) }),
      ...(request?.step === undefined ? {} : { step: Number(request.step) }),
    }),
  start: (service) => call({ method: 'act', service: String(service), action: 'start' }),
  stop: (service) => call({ method: 'act', service: String(service), action: 'stop' }),
  restart: (service) => call({ method: 'act', service: String(service), action: 'restart' }),
  setAutoRestart: (request) => call({ method: 'set-auto-restart', request: { enabled: request.enabled, ...(request.service === undefined ? {} : { service: request.service }) } }),
  onLive: (listener) => {
    liveListeners.add(listener);
    return () => void liveListeners.delete(listener);
  },
  onConnection: (listener) => {
    connectionListeners.add(listener);
    if (client && !client.isClosed) listener(true);
    return () => void connectionListeners.delete(listener);
  },
  openService: async (port) => {
    await invoke('shell:open-service', { port });
  },
  hideWindow: async () => {
    await invoke('window:hide');
  },
  flyTokenStatus: () => invoke('secrets:fly-token-status'),
  setFlyToken: (token) => invoke('secrets:set-fly-token', { token: String(token) }),
};

contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
void invoke('engine:connect');
