import { joinFragment, splitFragment } from '../route.ts';
import { BridgeClient } from './bridge-client.ts';
import type { EngineClient } from './engine-client.ts';
import { WebSocketClient } from './websocket-client.ts';

const TOKEN_KEY = 'vigil-token';

/** The API token: from the address `vigil open` prints (`/#token=...`, a fragment, so it never
 * reaches a server or a log), kept for this tab in sessionStorage, and taken off the address bar.
 * A route in the same fragment (`#/service/api?token=...`) stays. */
export function takeToken(win: Window): string | null {
  const { path, params } = splitFragment(win.location.hash);
  const fromAddress = params.get('token');
  if (fromAddress) {
    win.sessionStorage.setItem(TOKEN_KEY, fromAddress);
    params.delete('token');
    const rest = joinFragment(path, params);
    win.history.replaceState(null, '', win.location.pathname + win.location.search + (rest ? `#${rest}` : ''));
    return fromAddress;
  }
  return win.sessionStorage.getItem(TOKEN_KEY);
}

/** In the app the preload provides window.vigil; in a browser, the page's own server. */
export function pickClient(win: Window): EngineClient {
  return win.vigil ? new BridgeClient(win.vigil) : new WebSocketClient({ origin: win.location, token: takeToken(win) });
}
