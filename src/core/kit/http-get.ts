// One small GET over node:http(s), for health checks, the tunnel clients and their end-to-end
// probe. Every request has a deadline for the whole answer, not only for silence: a hung
// service or agent must show up as failing, not freeze a check forever.
import http from 'node:http';
import https from 'node:https';

export interface HttpAnswer {
  status: number;
  body: string;
}

/** Bodies past this are cut off: an agent API answer is a few KB, and a probe needs no more. */
const MAX_BODY = 1024 * 1024;

/** GET `url`. Resolves with any HTTP status; rejects only when no answer came (refused,
 * timeout, reset), with a message that names the URL. */
export function httpGet(url: string, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      reject(new Error(`not a valid URL: ${url}`));
      return;
    }
    const lib = target.protocol === 'https:' ? https : http;
    // agent: false: no pooled sockets, so nothing outlives the check.
    const req = lib.get(target, { agent: false, headers: { accept: 'application/json, text/plain, */*', 'user-agent': 'vigil' } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size >= MAX_BODY) return;
        size += chunk.length;
        chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY) }));
      res.on('error', (err) => reject(new Error(`GET ${url} failed while reading the answer: ${err.message}`)));
    });
    const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs}ms`)), timeoutMs);
    req.on('close', () => clearTimeout(deadline));
    req.on('error', (err: NodeJS.ErrnoException) => reject(new HttpGetError(url, describeNetworkError(err))));
  });
}

/** No answer came: `reason` says why in a few words ("connection refused ...", "no answer
 * within 1000ms"); the message adds the URL. */
export class HttpGetError extends Error {
  readonly reason: string;
  constructor(url: string, reason: string) {
    super(`GET ${url} failed: ${reason}`);
    this.reason = reason;
  }
}

function describeNetworkError(err: NodeJS.ErrnoException): string {
  if (err.code === 'ECONNREFUSED') return 'connection refused (nothing listens there)';
  if (err.code === 'ECONNRESET') return 'connection reset';
  if (err.code === 'ENOTFOUND') return 'host not found';
  return err.message;
}

/** JSON.parse that says what was wrong instead of throwing a bare SyntaxError. */
export function parseJson(text: string, what: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const sample = text.length > 60 ? `${text.slice(0, 60)}...` : text;
    return { ok: false, error: `${what} is not valid JSON (got ${JSON.stringify(sample)})` };
  }
}

/** Turns "127.0.0.1:4040", "localhost:4040" or "http://127.0.0.1:4040/" into a base URL
 * without a trailing slash. */
export function baseUrl(address: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `http://${address}`;
  return withScheme.replace(/\/+$/, '');
}
