// The lifecycle's state: plain data (no Map, no Date, no class), so the subsystem can persist
// it as JSON and an alert firing before a restart is the same alert after it.
import type { Alert, AlertLabels, RuleVerdict } from '../../../shared/alerts.ts';

/** One occurrence of an alert, as the lifecycle tracks it. Times ending in `Run` are run time
 * (flow-clock.ts), which a sleep or a clock jump does not advance. */
export interface AlertRecord {
  alert: Alert;
  /** From the latest verdict: how long the condition must hold, and the rule's channels. */
  forMs: number;
  channels: string[];
  pendingSinceRun: number;
  firingSinceRun: number | null;
  resolvedAtRun: number | null;
  /** When a rule last reported on this alert: one not reported for a long time is resolved. */
  lastVerdictRun: number;
  /** The condition as last reported, and since when: a flapping alert settles on it. */
  conditionActive: boolean;
  conditionSinceRun: number;
}

export interface LifecycleState {
  /** Pending, firing, and resolved alerts (kept a while), by alert id. */
  alerts: Record<string, AlertRecord>;
  /** Fingerprint -> id of its open (pending or firing) occurrence: deduplication. */
  open: Record<string, string>;
  /** Fingerprint -> run times at which it fired or resolved, within the flap window. */
  changesAt: Record<string, number[]>;
}

export const EMPTY_LIFECYCLE: LifecycleState = { alerts: {}, open: {}, changesAt: {} };

/** What happened to an alert in one step: the subsystem records these in the history and
 * sends them on the live stream. */
export type AlertTransition =
  | 'pending'
  | 'firing'
  | 'resolved'
  /** A pending alert whose condition cleared before its `for` (or that a wake reset). */
  | 'dropped'
  | 'flapping'
  | 'settled'
  | 'acknowledged'
  | 'silenced'
  | 'unsilenced'
  | 'inhibited'
  | 'uninhibited';

export interface AlertChange {
  kind: AlertTransition;
  alert: Alert;
}

/** Labels always carry `alertname`, the rule, as in Prometheus. */
export function verdictLabels(verdict: RuleVerdict): AlertLabels {
  return verdict.labels.alertname === verdict.rule ? verdict.labels : { ...verdict.labels, alertname: verdict.rule };
}

/** A shallow copy of a collection keyed by id. A loop, not a spread: for an object of a few
 * hundred keys (a dictionary to V8), a spread costs several times more, and the flow copies
 * its collections on every evaluation. */
export function copyCollection<T>(collection: Readonly<Record<string, T>>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key in collection) out[key] = collection[key]!;
  return out;
}
