// What can go wrong talking to Fly, as one error type the watcher can sort on, and the redaction
// every message passes through: the token must never reach a log line, an event, a snapshot or an
// error string, even when a server echoes it back in a response body.

/**
 * - auth: 401/403, the token was refused.
 * - rate-limited: 429.
 * - server: 5xx.
 * - timeout / network: no answer at all.
 * - malformed: an answer that is not the documented JSON.
 * - not-found: 404 (an unknown app or machine).
 * - client: another 4xx (e.g. a machine in a state that cannot restart).
 * - circuit-open: Vigil itself paused calls after repeated failures.
 */
export type FlyApiErrorKind = 'auth' | 'rate-limited' | 'server' | 'timeout' | 'network' | 'malformed' | 'not-found' | 'client' | 'circuit-open';

export class FlyApiError extends Error {
  readonly kind: FlyApiErrorKind;
  readonly status: number | null;
  /** From a 429's Retry-After header, when it had one. */
  readonly retryAfterMs: number | null;
  /** For circuit-open: the failure that opened the circuit. */
  readonly lastFailure: FlyApiError | null;

  constructor(kind: FlyApiErrorKind, message: string, extra: { status?: number | null; retryAfterMs?: number | null; lastFailure?: FlyApiError | null } = {}) {
    super(message);
    this.name = 'FlyApiError';
    this.kind = kind;
    this.status = extra.status ?? null;
    this.retryAfterMs = extra.retryAfterMs ?? null;
    this.lastFailure = extra.lastFailure ?? null;
  }

  /** The kind that says what is really wrong: for an open circuit, that of the failure behind it. */
  get rootKind(): FlyApiErrorKind {
    return this.kind === 'circuit-open' && this.lastFailure ? this.lastFailure.rootKind : this.kind;
  }
}

export const REDACTED = '[redacted]';

/** Removes the token (and anything after "Bearer ") from text headed for users. */
export function redactToken(text: string, token: string | null): string {
  let out = text;
  // Fly tokens are long; a very short "token" would redact ordinary words, so only real ones.
  if (token && token.length >= 4) out = out.split(token).join(REDACTED);
  return out.replace(/(Bearer\s+)[^\s"',;]+/gi, `$1${REDACTED}`).replace(/(FlyV1\s+)[^\s"',;]+/g, `$1${REDACTED}`);
}

/** A short, single-line excerpt of a response body for an error message (already redacted). */
export function bodyExcerpt(body: string, token: string | null, max = 200): string {
  const line = redactToken(body, token).replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
