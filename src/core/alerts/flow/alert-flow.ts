// The middle of the alert pipeline in one step: lifecycle -> silences -> inhibit -> dispatch,
// a pure function of the state, this evaluation's input and the context (the stack's
// settings). The subsystem calls it on every evaluation (and on an ack, a silence, a pause),
// persists the state it returns when something changed, hands the notifications to the
// channels, and records the changes in the history. No timer, no clock: time is input.
import type { Alert, AlertNotification, RuleVerdict } from '../../../shared/alerts.ts';
import type { AlertFlowConfig } from '../config/route-config.ts';
import type { DispatchChannel } from '../dispatch/dispatch-channel.ts';
import { alertsStillTold, dispatch, type RoutedAlert } from '../dispatch/dispatch.ts';
import type { DependencyGraph } from '../inhibit/dependency-graph.ts';
import { inhibitions } from '../inhibit/inhibit.ts';
import { type AckRequest, acknowledgeAlerts, type Rejected } from '../lifecycle/acknowledge.ts';
import { type AlertChange, copyCollection, type LifecycleState } from '../lifecycle/alert-record.ts';
import { advanceClock, type ClockGap, inWakeGrace, wakeGraceMs } from '../lifecycle/flow-clock.ts';
import { applyVerdicts, KEEP_RESOLVED_MS, pruneLifecycle, RESOLVE_TIMEOUT_MS } from '../lifecycle/lifecycle.ts';
import { closeMachineSlept, MACHINE_SLEPT_FINGERPRINT, openMachineSlept } from '../lifecycle/machine-slept.ts';
import { inQuietHours } from '../silences/quiet-hours.ts';
import { activeSilences, applySilenceOps, expireSilences, isPaused, type SilenceChange, type SilenceOp, silencesMuting } from '../silences/silences.ts';
import type { AlertFlowState } from './flow-state.ts';
import { nextDueAt } from './next-due.ts';

/** What the flow runs with: the stack's settings, rebuilt when the stack file changes. */
export interface AlertFlowContext {
  config: AlertFlowConfig;
  channels: readonly DispatchChannel[];
  graph: DependencyGraph;
  /** How often the subsystem evaluates: sets how long a gap counts as a sleep. */
  evaluationIntervalMs: number;
  /** IANA zone for quiet hours (systemTimeZone() in the engine). */
  timeZone: string;
  /** Base URL of the dashboard, put on every notification. */
  dashboardUrl: string;
}

export interface AlertFlowInput {
  /** Wall time, ms since the epoch (Date.now()). */
  now: number;
  /** Monotonic time, ms (performance.now()); null or absent if unknown. */
  monotonicNow?: number | null;
  /** This evaluation's verdicts: every alert key the rules watch, holding or not. */
  verdicts: readonly RuleVerdict[];
  acks?: readonly AckRequest[];
  silenceOps?: readonly SilenceOp[];
}

export type FlowChange = AlertChange | SilenceChange | { kind: 'clock-gap'; gap: ClockGap };

export interface AlertFlowStep {
  state: AlertFlowState;
  notifications: AlertNotification[];
  changes: FlowChange[];
  /** Acks and silence operations that did not apply, and why (the API answers with these). */
  rejected: Rejected[];
  /** Wall time by which to step again even without new verdicts (a group's flush, a `for`, a
   * silence's end...); null when nothing is scheduled. */
  nextDueAt: number | null;
}

export function stepAlertFlow(state: AlertFlowState, input: AlertFlowInput, context: AlertFlowContext): AlertFlowStep {
  const { now } = input;
  const changes: FlowChange[] = [];
  const rejected: Rejected[] = [];

  const { clock, gap } = advanceClock(state.clock, now, input.monotonicNow ?? null, context.evaluationIntervalMs);
  if (gap) changes.push({ kind: 'clock-gap', gap });
  const run = clock.runMs;

  const ops = applySilenceOps(state.silences, input.silenceOps ?? [], now);
  const expired = expireSilences(ops.state, now);
  const silences = expired.state;
  changes.push(...ops.changes, ...expired.changes);
  rejected.push(...ops.rejected);

  let lifecycle = state.lifecycle;
  const judged = applyVerdicts(lifecycle, input.verdicts, { wallMs: now, runMs: run, judge: !inWakeGrace(clock), gap: gap !== null }, { flap: context.config.flap, resolveTimeoutMs: RESOLVE_TIMEOUT_MS });
  lifecycle = judged.state;
  changes.push(...judged.changes);
  // A wake opens "the computer slept", which mutes everything until the grace period ends.
  const slept =
    gap?.kind === 'slept' && clock.wake ? openMachineSlept(lifecycle, clock.wake, run, wakeGraceMs(context.evaluationIntervalMs)) : inWakeGrace(clock) ? null : closeMachineSlept(lifecycle, now, run);
  if (slept) {
    lifecycle = slept.state;
    changes.push(...slept.changes);
  }
  const acked = acknowledgeAlerts(lifecycle, input.acks ?? [], now);
  lifecycle = acked.state;
  changes.push(...acked.changes);
  rejected.push(...acked.rejected);

  const flagged = setMuteFlags(lifecycle, silences, context, now);
  lifecycle = flagged.state;
  changes.push(...flagged.changes);

  const routed: RoutedAlert[] = [];
  for (const id in lifecycle.alerts) routed.push(lifecycle.alerts[id]!);
  const dispatched = dispatch(state.dispatch, {
    alerts: routed,
    acknowledged: acked.changes.map((c) => c.alert),
    route: context.config.route,
    channels: context.channels,
    runMs: run,
    wallMs: now,
    paused: isPaused(silences, now),
    quiet: inQuietHours(context.config.quietHours, now, context.timeZone) ? context.config.quietHours : null,
    dashboardUrl: context.dashboardUrl,
  });

  // Built only when a resolved alert is old enough to go: most evaluations never need it.
  let told: Set<string> | null = null;
  const stillTold = (id: string) => {
    told = told ?? alertsStillTold(dispatched.state);
    return told.has(id);
  };
  lifecycle = pruneLifecycle(lifecycle, run, Math.max(KEEP_RESOLVED_MS, context.config.flap.windowMs), context.config.flap.windowMs, stillTold);

  const next: AlertFlowState = { version: state.version, clock, lifecycle, silences, dispatch: dispatched.state };
  // Each change carries the alert as the step left it (a firing alert that a silence mutes at
  // once is recorded with its silencedBy).
  const final = changes.map((c) => ('alert' in c && lifecycle.alerts[c.alert.id] ? { ...c, alert: lifecycle.alerts[c.alert.id]!.alert } : c));
  return { state: next, notifications: dispatched.notifications, changes: final, rejected, nextDueAt: nextDueAt(next, context) };
}

/** Sets silencedBy and inhibitedBy on the open alerts, for what holds now. */
function setMuteFlags(lifecycle: LifecycleState, silenceState: AlertFlowState['silences'], context: AlertFlowContext, now: number): { state: LifecycleState; changes: AlertChange[] } {
  const silences = activeSilences(silenceState, now);
  const sleeping = lifecycle.open[MACHINE_SLEPT_FINGERPRINT] !== undefined ? MACHINE_SLEPT_FINGERPRINT : null;
  const open: Alert[] = [];
  for (const fingerprint in lifecycle.open) open.push(lifecycle.alerts[lifecycle.open[fingerprint]!]!.alert);
  const inhibited = inhibitions(open, context.graph, sleeping);
  const changes: AlertChange[] = [];
  let alerts = lifecycle.alerts;
  for (const was of open) {
    const silencedBy = silences.length === 0 ? NONE : silencesMuting(silences, was);
    const inhibitedBy = inhibited.get(was.id) ?? null;
    if (inhibitedBy === was.inhibitedBy && sameIds(silencedBy, was.silencedBy)) continue;
    const alert: Alert = { ...was, silencedBy: silencedBy.length === 0 ? NONE : silencedBy, inhibitedBy };
    if (alerts === lifecycle.alerts) alerts = copyCollection(lifecycle.alerts);
    alerts[alert.id] = { ...lifecycle.alerts[alert.id]!, alert };
    if ((silencedBy.length > 0) !== (was.silencedBy.length > 0)) changes.push({ kind: silencedBy.length > 0 ? 'silenced' : 'unsilenced', alert });
    if ((inhibitedBy !== null) !== (was.inhibitedBy !== null)) changes.push({ kind: inhibitedBy !== null ? 'inhibited' : 'uninhibited', alert });
  }
  return { state: alerts === lifecycle.alerts ? lifecycle : { ...lifecycle, alerts }, changes };
}

const NONE: string[] = [];

const sameIds = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((id, i) => id === b[i]);
