// One JSON POST to a receiver (Slack, Discord, PagerDuty, a webhook, Alertmanager), and the one
// reading of its answer that every HTTP channel shares, as their vendors document it:
//   2xx                   delivered;
//   429                   retry, after Retry-After (or Discord's JSON retry_after) when given;
//   5xx, 408, no answer   retry with backoff;
//   any other 4xx         refused for good: fail now, with the receiver's own words.
// The URL never appears in a message (for Slack and Discord it is the secret); only its host.
import { parseRetryAfter } from '../../kit/retry-after.ts';
import { DeliveryError } from '../notify/delivery-error.ts';
import { answerExcerpt } from '../notify/redact.ts';

export interface PostOptions {
  /** Who answers, for messages: "Slack", "PagerDuty". */
  receiver: string;
  url: string;
  body: unknown;
  headers?: Record<string, string>;
  timeoutMs: number;
  now: number;
  signal: AbortSignal;
  redact: (text: string) => string;
}

export interface PostAnswer {
  status: number;
  text: string;
}

/** Answers are short; a receiver that streams more is cut off for the message. */
const MAX_ANSWER = 64 * 1024;

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'the connection closed',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed for now',
  EHOSTUNREACH: 'host unreachable',
};

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(an invalid URL)';
  }
}

/** Discord's 429 body says `{"retry_after": 1.5, ...}` in seconds. */
function retryAfterFromBody(text: string): number | null {
  try {
    const value = (JSON.parse(text) as { retry_after?: unknown }).retry_after;
    return typeof value === 'number' && value >= 0 ? Math.ceil(value * 1000) : null;
  } catch {
    return null;
  }
}

export async function postJson(options: PostOptions): Promise<PostAnswer> {
  const { receiver, url, redact } = options;
  const where = `POST to ${receiver} at ${hostOf(url)}`;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([timeout, options.signal]);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'vigil', ...options.headers },
      body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
      signal,
      redirect: 'manual',
    });
    // Read under the same deadline: a receiver that sends headers and stalls is down too.
    text = (await response.text()).slice(0, MAX_ANSWER);
  } catch (error) {
    if (options.signal.aborted) throw new DeliveryError(`${where}: Vigil is stopping`, { retryable: true });
    if (timeout.aborted) throw new DeliveryError(`${where}: no answer within ${options.timeoutMs} ms`, { retryable: true });
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const code = cause?.code ?? '';
    const why = NETWORK_ERRORS[code] ? `${NETWORK_ERRORS[code]} (${code})` : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new DeliveryError(redact(`${where} failed: ${why}`), { retryable: true });
  }
  const { status } = response;
  if (status >= 200 && status < 300) return { status, text };
  const said = answerExcerpt(text, redact) || '(empty answer)';
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), options.now) ?? retryAfterFromBody(text);
    throw new DeliveryError(`${where}: rate limited (429): ${said}`, { retryable: true, retryAfterMs });
  }
  if (status >= 500 || status === 408) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), options.now);
    throw new DeliveryError(`${where}: ${receiver} failed (${status}): ${said}`, { retryable: true, retryAfterMs });
  }
  if (status >= 300 && status < 400) {
    throw new DeliveryError(`${where}: redirected (${status}); Vigil does not follow redirects with alert payloads: check the URL`, { retryable: false });
  }
  throw new DeliveryError(`${where}: refused (${status}): ${said}`, { retryable: false });
}
