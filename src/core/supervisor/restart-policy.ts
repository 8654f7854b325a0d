// What to do after a service fails: a pure function of the policy, the failure history and
// the clock, so crash loops can be tested without waiting for them.
import type { ServiceConfig } from '../config/service-config.ts';

export interface FailureHistory {
  /** Times of recent failures (ms), oldest first, trimmed to the crash-loop window. */
  failures: number[];
  /** Failures since the service last ran stably; drives the backoff exponent. */
  consecutive: number;
}

export const NO_FAILURES: FailureHistory = { failures: [], consecutive: 0 };

export type Failure =
  | { kind: 'exit'; code: number | null; signal: string | null; uptimeMs: number }
  | { kind: 'hang'; uptimeMs: number }
  | { kind: 'start-timeout'; uptimeMs: number };

export type Decision =
  | { action: 'stay-down'; why: string; history: FailureHistory }
  | { action: 'restart'; delayMs: number; history: FailureHistory }
  | { action: 'crash-loop'; retryInMs: number; history: FailureHistory };

export interface PolicyInput {
  restart: ServiceConfig['restart'];
  crashLoop: ServiceConfig['crashLoop'];
  autoRestart: boolean;
}

/** A clean exit (code 0) is not a failure for `on-failure`, but still is for `always`. */
function isFailure(failure: Failure): boolean {
  return failure.kind !== 'exit' || failure.code !== 0 || failure.signal !== null;
}

/** Backoff before restart number `consecutive` (1-based): the first restart after a stable
 * run is immediate, later ones grow by `factor` up to `cap`, each spread by +-jitter. */
export function backoffDelay(restart: PolicyInput['restart'], consecutive: number, random: () => number): number {
  if (consecutive <= 1) return 0;
  const base = Math.min(restart.capMs, restart.initialMs * restart.factor ** (consecutive - 2));
  const spread = base * restart.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(base + spread));
}

export function decideAfterFailure(
  input: PolicyInput,
  history: FailureHistory,
  failure: Failure,
  now: number,
  random: () => number = Math.random,
): Decision {
  const stable = failure.uptimeMs >= input.restart.resetAfterMs;
  const failures = [...history.failures.filter((t) => now - t < input.crashLoop.windowMs), now];
  const next: FailureHistory = { failures, consecutive: stable ? 1 : history.consecutive + 1 };

  if (input.restart.policy === 'never') return { action: 'stay-down', why: 'restart policy is "never"', history: next };
  if (input.restart.policy === 'on-failure' && !isFailure(failure)) {
    return { action: 'stay-down', why: 'exited cleanly (code 0) and the policy is "on-failure"', history: next };
  }
  if (!input.autoRestart) return { action: 'stay-down', why: 'auto-restart is off', history: next };
  if (failures.length >= input.crashLoop.failures) {
    // Start the next round with a clean slate: after the cool-off the service gets the
    // full number of tries again, and a fresh crash loop is announced once more.
    return { action: 'crash-loop', retryInMs: input.crashLoop.coolOffMs, history: { failures: [], consecutive: 0 } };
  }
  return { action: 'restart', delayMs: backoffDelay(input.restart, next.consecutive, random), history: next };
}
