// Every IPC channel between the preload and Electron main, in one type map (the idea of GitHub
// Desktop's ipc-shared): the preload's invoke and main's handlers are both typed from it, so
// they cannot drift apart. Engine commands do not go through here: the renderer talks to the
// engine over its own MessagePort.

export interface IpcChannels {
  /** Asks main for a MessagePort to the engine; the port arrives on ENGINE_PORT_CHANNEL (and
   * again, a new one, whenever the engine restarts). Answers whether the engine is up. */
  'engine:connect': { request: undefined; response: { connected: boolean } };
  /** Opens a service's own page (http://127.0.0.1:port/) in the user's browser. */
  'shell:open-service': { request: { port: number }; response: undefined };
  /** Hides the dashboard window (the app lives on in the tray). */
  'window:hide': { request: undefined; response: undefined };
  /** Whether a Fly.io API token is stored, and whether the system can encrypt one. */
  'secrets:fly-token-status': { request: undefined; response: { stored: boolean; encryption: boolean } };
  /** Stores the Fly.io API token encrypted (empty: forget it) and restarts the engine with it. */
  'secrets:set-fly-token': { request: { token: string }; response: { stored: boolean } };
}

export type IpcChannel = keyof IpcChannels;
export type IpcRequest<C extends IpcChannel> = IpcChannels[C]['request'];
export type IpcResponse<C extends IpcChannel> = IpcChannels[C]['response'];

/** Main -> preload: a MessagePort to the engine, in the event's ports. */
export const ENGINE_PORT_CHANNEL = 'engine:port';
