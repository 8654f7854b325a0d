// One small GET over node:http(s) for the tunnel clients and the end-to-end probe. The agent
// APIs are on loopback and answer fast, so every request carries a short timeout: a hung agent
// must show up as "down", not freeze a poll forever.
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
    const req = lib.get(target, { timeout: timeoutMs, headers: { accept: 'application/json, text/plain, */*' } }, (res) => {
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
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs}ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => reject(new Error(`GET ${url} failed: ${describeNetworkError(err)}`)));
  });
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
