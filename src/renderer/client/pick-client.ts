import { BridgeClient } from './bridge-client.ts';
import type { EngineClient } from './engine-client.ts';
import { WebSocketClient } from './websocket-client.ts';

/** In the app the preload provides window.vigil; in a browser, the page's own server. */
export function pickClient(win: Window): EngineClient {
  return win.vigil ? new BridgeClient(win.vigil) : new WebSocketClient({ origin: win.location });
}
