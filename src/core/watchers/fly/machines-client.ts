// The two Machines API calls Vigil makes: list an app's machines, restart one.
// Every answer that is not the documented success becomes a FlyApiError with a message a user
// can act on, and with the token redacted. Calls pass through
// - a token bucket per action (Fly allows ~1 request/s per action, burst 3),
// - one shared circuit breaker (cockatiel): after repeated failures Vigil stops calling Fly for a
//   while instead of hammering an API that is down or refusing it,
// - for the list only, one quick retry on a dropped connection (a stale keep-alive socket is the
//   usual cause, and the retry is cheaper than a whole backed-off poll). Restarts are never
//   retried here: a failed restart counts against the breaker and waits for the next decision.
// Docs: https://fly.io/docs/machines/api/machines-resource/
import { BrokenCircuitError, ConsecutiveBreaker, ConstantBackoff, CircuitState, circuitBreaker, handleWhen, retry, type CircuitBreakerPolicy, type RetryPolicy } from 'cockatiel';
import { type Clock, realClock } from '../../kit/clock.ts';
import { parseRetryAfter } from '../../kit/retry-after.ts';
import { formatDuration } from '../../kit/units.ts';
import { bodyExcerpt, FlyApiError, type FlyApiErrorKind, redactToken } from './fly-api-error.ts';
import { type FlyMachine, parseMachineList } from './fly-machine.ts';
import { FLY_RATE_LIMIT, type RateLimit, TokenBucket } from './token-bucket.ts';

export interface BreakerSettings {
  /** Consecutive failures that open the circuit. */
  failures: number;
  /** How long the circuit stays open before one trial call goes through. */
  halfOpenAfterMs: number;
}

// Kept importable from here for the Fly tests; it lives in kit/ since the alert channels use it too.
export { parseRetryAfter };

export const DEFAULT_BREAKER: BreakerSettings = { failures: 5, halfOpenAfterMs: 30_000 };

export interface MachinesClientOptions {
  /** Base URL, e.g. https://api.machines.dev/v1 (no trailing slash). */
  api: string;
  app: string;
  token: string;
  timeoutMs: number;
  clock?: Clock;
  rateLimit?: RateLimit;
  breaker?: BreakerSettings;
  fetch?: typeof fetch;
}

export type CircuitStatus = 'closed' | 'open' | 'half-open';

// Errors that say "Fly is not answering properly" count toward opening the circuit. A 404 or
// another 4xx is about one request (a wrong machine id), not about the API's health.
const COUNTS_AGAINST_BREAKER: ReadonlySet<FlyApiErrorKind> = new Set(['auth', 'rate-limited', 'server', 'timeout', 'network', 'malformed']);

/** Fly's docs say `Bearer <token>`; macaroon tokens from `fly tokens create` already carry their
 * own scheme ("FlyV1 fm2_..."), and flyctl sends those as they are. */
export function authorizationHeader(token: string): string {
  return /^FlyV1\s/.test(token) ? token : `Bearer ${token}`;
}


export class MachinesClient {
  private readonly options: MachinesClientOptions;
  private readonly clock: Clock;
  private readonly doFetch: typeof fetch;
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly breaker: CircuitBreakerPolicy;
  private readonly breakerSettings: BreakerSettings;
  private readonly listRetry: RetryPolicy;
  private lastFailure: FlyApiError | null = null;
  private openedAt = 0;

  constructor(options: MachinesClientOptions) {
    this.options = options;
    this.clock = options.clock ?? realClock;
    this.doFetch = options.fetch ?? fetch;
    this.breakerSettings = options.breaker ?? DEFAULT_BREAKER;
    this.breaker = circuitBreaker(
      handleWhen((error) => error instanceof FlyApiError && COUNTS_AGAINST_BREAKER.has(error.kind)),
      { halfOpenAfter: this.breakerSettings.halfOpenAfterMs, breaker: new ConsecutiveBreaker(this.breakerSettings.failures) },
    );
    this.breaker.onBreak(() => {
      this.openedAt = this.clock.now();
    });
    this.listRetry = retry(
      handleWhen((error) => error instanceof FlyApiError && error.kind === 'network'),
      { maxAttempts: 1, backoff: new ConstantBackoff(200) },
    );
  }

  get circuit(): CircuitStatus {
    const state = this.breaker.state;
    if (state === CircuitState.Closed) return 'closed';
    if (state === CircuitState.HalfOpen) return 'half-open';
    return 'open';
  }

  /** GET /apps/{app}/machines. */
  async listMachines(signal?: AbortSignal): Promise<FlyMachine[]> {
    const url = `${this.options.api}/apps/${encodeURIComponent(this.options.app)}/machines`;
    return this.guarded(() =>
      this.listRetry.execute(async () => {
        const text = await this.request('GET', url, 'list', signal);
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          throw new FlyApiError('malformed', `Fly's Machines API answered with something that is not JSON (${url}): ${this.excerpt(text)}`);
        }
        const machines = parseMachineList(body);
        if (!machines) throw new FlyApiError('malformed', `Fly's Machines API answered with JSON that is not a list of machines (${url}): ${this.excerpt(text)}`);
        return machines;
      }, signal),
    );
  }

  /** POST /apps/{app}/machines/{id}/restart. */
  async restartMachine(id: string, signal?: AbortSignal): Promise<void> {
    const url = `${this.options.api}/apps/${encodeURIComponent(this.options.app)}/machines/${encodeURIComponent(id)}/restart`;
    await this.guarded(() => this.request('POST', url, 'restart', signal, id));
  }

  /** Runs a call through the breaker, turning "circuit open" into a FlyApiError that says why. */
  private async guarded<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await this.breaker.execute(async () => {
        try {
          return await call();
        } catch (error) {
          if (error instanceof FlyApiError && COUNTS_AGAINST_BREAKER.has(error.kind)) this.lastFailure = error;
          throw error;
        }
      });
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        const last = this.lastFailure;
        const retryIn = Math.max(0, this.openedAt + this.breakerSettings.halfOpenAfterMs - this.clock.now());
        throw new FlyApiError(
          'circuit-open',
          `Vigil paused calls to Fly's Machines API after ${this.breakerSettings.failures} failures in a row; it tries again in ${formatDuration(retryIn)}` +
            (last ? ` (last error: ${last.message})` : ''),
          { lastFailure: last, retryAfterMs: retryIn },
        );
      }
      throw error;
    }
  }

  private excerpt(text: string): string {
    return bodyExcerpt(text, this.options.token) || '(empty)';
  }

  /** One HTTP exchange; resolves with the body of a 2xx answer, throws a FlyApiError otherwise. */
  private async request(method: 'GET' | 'POST', url: string, action: string, signal: AbortSignal | undefined, machine?: string): Promise<string> {
    let bucket = this.buckets.get(action);
    if (!bucket) {
      bucket = new TokenBucket(this.options.rateLimit ?? FLY_RATE_LIMIT, this.clock);
      this.buckets.set(action, bucket);
    }
    await bucket.take(signal);

    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const combined = signal ? AbortSignal.any([timeout, signal]) : timeout;
    let status: number;
    let text: string;
    let retryAfter: string | null;
    try {
      const response = await this.doFetch(url, {
        method,
        headers: { Authorization: authorizationHeader(this.options.token), Accept: 'application/json' },
        signal: combined,
      });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      // The body is read under the same deadline: a server that sends headers and then stalls
      // is as unresponsive as one that never answers.
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw error; // the caller gave up (Vigil is stopping): not Fly's fault
      if (timeout.aborted) throw new FlyApiError('timeout', `Fly's Machines API did not answer within ${formatDuration(this.options.timeoutMs)} (${method} ${url})`);
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new FlyApiError('network', redactToken(`could not reach Fly's Machines API at ${this.options.api} (${why})`, this.options.token));
    }

    if (status >= 200 && status < 300) return text;
    const where = `${method} ${url}`;
    if (status === 401 || status === 403)
      throw new FlyApiError('auth', `the Fly token was refused (check FLY_API_TOKEN): ${status} from ${where}`, { status });
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(retryAfter, this.clock.now());
      const when = retryAfterMs === null ? 'Vigil backs off' : `Fly asks to wait ${formatDuration(retryAfterMs)}`;
      throw new FlyApiError('rate-limited', `Fly's Machines API is rate limiting Vigil (429 from ${where}); ${when}`, { status, retryAfterMs });
    }
    if (status === 404) {
      const what = machine ? `no machine "${machine}" in app "${this.options.app}"` : `no app "${this.options.app}" (or the token cannot see it)`;
      throw new FlyApiError('not-found', `Fly has ${what}: 404 from ${where}`, { status });
    }
    if (status >= 500) throw new FlyApiError('server', `Fly's Machines API failed: ${status} from ${where}: ${this.excerpt(text)}`, { status });
    throw new FlyApiError('client', `Fly's Machines API refused the request: ${status} from ${where}: ${this.excerpt(text)}`, { status });
  }
}
