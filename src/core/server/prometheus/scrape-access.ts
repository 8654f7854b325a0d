// Who may scrape /metrics: the holder of the scrape token, sent as `Authorization: Bearer`
// (Prometheus: `authorization: { credentials_file: <VIGIL_HOME>/scrape-token }`), or, when the
// user turned it on in settings.json (`metrics.allowUnauthenticatedLoopback`), any process on
// this machine that sends no token at all. The Host and Origin checks of the API apply either
// way (a web page in the user's browser must not read the numbers through DNS rebinding). The
// API token is not a scrape token: it must never have to sit in a Prometheus config.
import type { IncomingMessage } from 'node:http';
import { checkHostAndOrigin, type GuardVerdict } from '../request-guard.ts';
import { tokensMatch } from '../token.ts';

export interface ScrapeAccess {
  /** The scrape token now (read at each scrape; see scrape-token.ts). */
  token(): string;
  /** settings.json `metrics.allowUnauthenticatedLoopback`. */
  allowUnauthenticatedLoopback: boolean;
}

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Only the Authorization header: a scrape never comes as a WebSocket, so the API's
 * token-as-subprotocol does not apply here. */
function scrapeBearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

export function checkScrapeRequest(req: IncomingMessage, port: number, access: ScrapeAccess): GuardVerdict {
  const place = checkHostAndOrigin(req, port);
  if (!place.ok) return place;
  const given = scrapeBearer(req);
  // The server listens on 127.0.0.1 alone; the address is checked all the same, so that this
  // switch can never open /metrics to another machine.
  if (given === undefined && req.headers.authorization === undefined && access.allowUnauthenticatedLoopback && LOOPBACK_ADDRESSES.has(req.socket.remoteAddress ?? '')) {
    return { ok: true };
  }
  if (given !== undefined && tokensMatch(given, access.token())) return { ok: true };
  return {
    ok: false,
    status: 401,
    message:
      'refused: missing or wrong scrape token. /metrics takes the token in the "scrape-token" file of the Vigil data folder ' +
      '(Prometheus: authorization: {credentials_file: <that file>}; "vigil scrape-token" prints a scrape config), not the API token',
  };
}
