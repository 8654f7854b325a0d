// How a channel says a delivery did not go through, so the notifier knows what to do next:
// try again later (the receiver is down, busy or rate limiting), or give up at once (it refused
// this request: a wrong URL, a revoked key, a payload it will never accept). Messages are
// already redacted when they are built (redact.ts): they go to the delivery log and the UI.

export class DeliveryError extends Error {
  /** Worth another try: a network error, a timeout, 429, 5xx, an SMTP 4xx. */
  readonly retryable: boolean;
  /** The receiver asked to wait this long (Retry-After, Discord's retry_after). */
  readonly retryAfterMs: number | null;

  constructor(message: string, options: { retryable: boolean; retryAfterMs?: number | null }) {
    super(message);
    this.name = 'DeliveryError';
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

/** Any error a channel threw, as a DeliveryError: an unexpected one is treated as transient
 * (a bug in rendering would fail every try the same way, and expire; a flaky socket would not). */
export function asDeliveryError(error: unknown, redact: (text: string) => string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DeliveryError(redact(message), { retryable: true });
}
