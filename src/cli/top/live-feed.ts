// The live connection of `vigil top`: WS /api/events, which sends the state, the events and a
// `metrics` message at every sampling tick (while it is open the engine samples every second:
// somebody is looking). When the engine goes away the feed says so and tries again, quickly
// at first, then every two seconds, reading VIGIL_HOME afresh each time: a restarted engine
// may listen on another port.
import { WebSocket } from 'ws';
import type { EngineAddress } from '../engine-client.ts';
import type { LiveMessage } from '../../shared/contract.ts';

const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 2000;

export interface LiveFeedHandlers {
  /** Connected (again): the state arrives as the first message. */
  open(address: EngineAddress): void;
  message(message: LiveMessage): void;
  /** The connection dropped or could not be made; a retry is scheduled. */
  lost(why: string): void;
}

export interface LiveFeed {
  close(): void;
}

export function openLiveFeed(address: () => EngineAddress, handlers: LiveFeedHandlers): LiveFeed {
  let socket: WebSocket | null = null;
  let timer: NodeJS.Timeout | null = null;
  let attempt = 0;
  let closed = false;

  const retry = (why: string) => {
    if (closed || timer) return;
    handlers.lost(why);
    timer = setTimeout(connect, Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** attempt++));
  };

  function connect(): void {
    timer = null;
    if (closed) return;
    let target: EngineAddress;
    try {
      target = address();
    } catch (err) {
      retry((err as Error).message);
      return;
    }
    // A header, not the subprotocol the browser dashboard uses: only browsers need that.
    const ws = new WebSocket(`ws://127.0.0.1:${target.port}/api/events`, { headers: { authorization: `Bearer ${target.token}` } });
    socket = ws;
    ws.on('open', () => {
      attempt = 0;
      handlers.open(target);
    });
    ws.on('message', (data) => {
      let message: LiveMessage;
      try {
        message = JSON.parse(String(data)) as LiveMessage;
      } catch {
        return;
      }
      handlers.message(message);
    });
    ws.on('error', () => {
      // 'close' follows and schedules the retry.
    });
    ws.on('close', (code) => {
      if (socket === ws) socket = null;
      retry(code === 1006 ? 'connection lost' : `closed (${code})`);
    });
  }

  connect();
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      socket?.terminate();
    },
  };
}
