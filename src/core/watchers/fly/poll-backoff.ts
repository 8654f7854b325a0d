// When to poll Fly next. While polls fail the wait doubles (up to a cap), so an outage or a
// flapping network costs a handful of requests, not one per interval; a 429's Retry-After is a
// floor, since asking sooner only draws another 429.

export const MAX_POLL_BACKOFF_MS = 5 * 60_000;

/** Failed polls in a row before the app counts as unreachable: one lost poll is noise. */
export const UNREACHABLE_AFTER_FAILURES = 2;

export function nextPollDelay(intervalMs: number, failuresInRow: number, retryAfterMs: number | null = null, maxMs = MAX_POLL_BACKOFF_MS): number {
  const base = failuresInRow <= 0 ? intervalMs : Math.min(maxMs, intervalMs * 2 ** Math.min(failuresInRow, 30));
  // Never below the configured interval, even when the cap is set lower than it.
  const backedOff = Math.max(intervalMs, base);
  return retryAfterMs === null ? backedOff : Math.max(backedOff, retryAfterMs);
}
