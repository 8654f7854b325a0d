// Fly's Machines API allows about 1 request per second per action, with a burst of 3. A token
// bucket per action keeps Vigil under that: a burst (e.g. "restart all") goes out at once up to
// the burst size, the rest wait their turn instead of drawing 429s.
import type { Clock } from '../../kit/clock.ts';

export interface RateLimit {
  perSecond: number;
  burst: number;
}

export const FLY_RATE_LIMIT: RateLimit = { perSecond: 1, burst: 3 };

export class TokenBucket {
  private readonly limit: RateLimit;
  private readonly clock: Clock;
  private tokens: number;
  private refilledAt: number;

  constructor(limit: RateLimit, clock: Clock) {
    this.limit = limit;
    this.clock = clock;
    this.tokens = limit.burst;
    this.refilledAt = clock.now();
  }

  /** Milliseconds until a token is free (0 = now), taking it when it is. */
  private reserve(): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.limit.perSecond);
    this.refilledAt = now;
    // Reserving into the negative queues callers in order: each waits for its own token.
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.limit.perSecond) * 1000);
  }

  /** Resolves when the caller may send; aborting gives the token up early. */
  take(signal?: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const handle = this.clock.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, wait);
      const onAbort = () => {
        this.clock.clearTimeout(handle);
        this.tokens += 1;
        reject(signal?.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
