// Who may talk to the local API. Loopback alone is not enough: a web page in the user's
// browser can reach 127.0.0.1 too. So every API request needs the token, the Host header must
// be a loopback name (DNS rebinding), and a browser's Origin must be the dashboard's own. The
// token never travels as a cookie: browsers send cookies to every port of 127.0.0.1, so every
// local dev server the user opens would receive it.
import type { IncomingMessage } from 'node:http';
import { tokensMatch } from './token.ts';

export type GuardVerdict = { ok: true } | { ok: false; status: 401 | 403; message: string };

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

function allowedHosts(port: number): Set<string> {
  return new Set(LOOPBACK_HOSTS.map((h) => `${h}:${port}`));
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  // Browsers cannot set headers on a WebSocket: the dashboard offers the token as a subprotocol.
  const protocols = req.headers['sec-websocket-protocol'];
  const offered = typeof protocols === 'string' ? protocols.split(',').map((p) => p.trim()) : [];
  const fromProtocol = offered.find((p) => p.startsWith('vigil-token.'));
  return fromProtocol?.slice('vigil-token.'.length);
}

export function checkHostAndOrigin(req: IncomingMessage, port: number): GuardVerdict {
  const hosts = allowedHosts(port);
  const host = req.headers.host;
  if (!host || !hosts.has(host.toLowerCase())) {
    return { ok: false, status: 403, message: `refused: Host "${host ?? ''}" is not this machine's loopback address` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.has(origin.toLowerCase().replace(/^http:\/\//, ''))) {
    return { ok: false, status: 403, message: `refused: requests from ${origin} are not allowed` };
  }
  return { ok: true };
}

export function checkRequest(req: IncomingMessage, port: number, token: string): GuardVerdict {
  const place = checkHostAndOrigin(req, port);
  if (!place.ok) return place;
  if (!tokensMatch(bearerToken(req), token)) {
    return { ok: false, status: 401, message: 'refused: missing or wrong token (see the "token" file in the Vigil data folder)' };
  }
  return { ok: true };
}
