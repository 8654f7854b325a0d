// Reads a request's body, bounded. A body over the limit is still read to its end (and thrown
// away) before the 413 goes out: a server that answers and closes while the caller is still
// sending makes the caller's kernel see a reset, and the caller never reads the 413. Past a
// far larger bound the connection is cut after all, so nobody can keep the engine reading
// forever.
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.ts';

export const MAX_BODY_BYTES = 64 * 1024;
const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `the request body is over ${limit} bytes; the API takes small JSON bodies only`);
}

/** Reads what is left of the request and drops it; resolves once the caller has sent it all
 * (or the connection was cut past MAX_DISCARDED_BYTES). */
export function discardBody(req: IncomingMessage, alreadyRead = 0): Promise<void> {
  if (req.readableEnded || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let discarded = alreadyRead;
    req.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > MAX_DISCARDED_BYTES) req.socket.destroy();
    });
    req.once('end', resolve);
    req.once('close', resolve);
    req.on('error', () => resolve());
    req.resume();
  });
}

/** The whole body (empty when there is none). Rejects with a 413 HttpError when it is over `limit`. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    await discardBody(req);
    throw tooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const over = await new Promise<boolean>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.off('end', onEnd);
      void discardBody(req, size).then(() => resolve(true));
    };
    const onEnd = () => resolve(false);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', reject);
  });
  if (over) throw tooLarge(limit);
  return Buffer.concat(chunks);
}

/** The body as JSON, or a 400 saying why not. */
export function parseJsonBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (!text.trim()) throw new HttpError(400, 'expected a JSON body');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `the request body is not valid JSON (${(err as Error).message})`);
  }
}
