// Verdicts -> alerts: pending -> firing (once the condition has held for the rule's `for`) ->
// resolved, one open occurrence per fingerprint, with flap damping. A pure function of the
// state, this evaluation's verdicts and the time; it never reads a clock.
//
// Flap damping. An alert that keeps firing and resolving (a health check on the edge, a CPU
// hovering at its threshold) would send a notice at every change. Once it has changed state
// more than `flap.changes` times (default 4) within `flap.window` (10 min), it is marked
// flapping and held firing: no resolve goes out until its condition has stayed the same for
// `flap.settle` (5 min); then it resolves (condition clear) or just stops flapping (condition
// holds). With the defaults a flapping alert costs at most fire, resolve, fire, resolve,
// fire before it is held: two real outages within 10 min still notify in full, and 5 min of
// calm is longer than the group interval, so a settled alert does not resolve and re-fire
// within one notification cycle. (Alertmanager has no flap damping; Nagios' is the model,
// simplified to a count in a window.)
import type { RuleVerdict } from '../../../shared/alerts.ts';
import type { FlapConfig } from '../config/route-config.ts';
import { alertLink } from './alert-link.ts';
import { type AlertChange, type AlertRecord, copyCollection, type LifecycleState, verdictLabels } from './alert-record.ts';
import { verdictFingerprint } from './fingerprint.ts';
import { MACHINE_SLEPT_RULE } from './machine-slept.ts';

/** A rule that stops reporting on an alert for this long resolves it (Alertmanager's
 * resolve_timeout, 5 min): a service removed from the stack does not leave its alert open. */
export const RESOLVE_TIMEOUT_MS = 5 * 60_000;
/** Resolved alerts stay listed this long (the history keeps them for good). At least the flap
 * window, so a resolved alert that fires again finds its flap history. */
export const KEEP_RESOLVED_MS = 15 * 60_000;

export interface LifecycleSettings {
  flap: FlapConfig;
  resolveTimeoutMs: number;
}

export interface LifecycleTime {
  wallMs: number;
  runMs: number;
  /** False during the grace period after a wake: verdicts are not judged at all. */
  judge: boolean;
  /** There was a gap before this evaluation (sleep, clock jump, restart): pending timers start over. */
  gap: boolean;
}

interface Step {
  draft: LifecycleState;
  original: LifecycleState;
  changes: AlertChange[];
  run: number;
  wall: number;
  iso: string;
  settings: LifecycleSettings;
}

export function applyVerdicts(
  state: LifecycleState,
  verdicts: readonly RuleVerdict[],
  time: LifecycleTime,
  settings: LifecycleSettings,
): { state: LifecycleState; changes: AlertChange[] } {
  const step: Step = {
    // Copies of the collections: every open alert takes this evaluation's values, so `alerts`
    // is rewritten anyway; `open` and `changesAt` change only with a transition (copyOnWrite).
    draft: { alerts: copyCollection(state.alerts), open: state.open, changesAt: state.changesAt },
    original: state,
    changes: [],
    run: time.runMs,
    wall: time.wallMs,
    iso: new Date(time.wallMs).toISOString(),
    settings,
  };
  if (time.gap) dropPending(step);
  if (time.judge) {
    const latest = verdictsByFingerprint(verdicts, openRules(step.draft));
    for (const [fingerprint, verdict] of latest) judge(step, fingerprint, verdict);
    const open = step.draft.open;
    for (const fingerprint in open) if (!latest.has(fingerprint)) unreported(step, fingerprint);
  }
  return { state: step.draft, changes: step.changes };
}

/** Rules with an open alert: a clear verdict of any other rule changes nothing. */
function openRules(state: LifecycleState): Set<string> {
  const rules = new Set<string>();
  for (const fingerprint in state.open) rules.add(state.alerts[state.open[fingerprint]!]!.alert.rule);
  return rules;
}

/** One verdict per alert key; when rules report one key twice, a breach wins. Most verdicts
 * say "all clear" about keys with no open alert: those are skipped before the fingerprint,
 * the step's main cost. */
function verdictsByFingerprint(verdicts: readonly RuleVerdict[], rulesOpen: ReadonlySet<string>): Map<string, RuleVerdict> {
  const latest = new Map<string, RuleVerdict>();
  for (const verdict of verdicts) {
    if (!verdict.active && !rulesOpen.has(verdict.rule)) continue;
    const fingerprint = verdictFingerprint(verdict.rule, verdict.labels);
    const seen = latest.get(fingerprint);
    if (!seen || verdict.active || !seen.active) latest.set(fingerprint, verdict);
  }
  return latest;
}

function judge(step: Step, fingerprint: string, verdict: RuleVerdict): void {
  const id = step.draft.open[fingerprint];
  const record = id === undefined ? undefined : step.draft.alerts[id];
  if (!record) {
    if (verdict.active) openAlert(step, fingerprint, verdict);
    return;
  }
  const seen = observe(record, verdict, step.run);
  if (seen.alert.state === 'pending') {
    if (!verdict.active) {
      drop(step, fingerprint, seen);
      return;
    }
    put(step, step.run - seen.pendingSinceRun >= seen.forMs ? fire(step, fingerprint, seen) : seen);
    return;
  }
  put(step, verdict.active ? holdsFiring(step, seen) : clears(step, fingerprint, seen));
}

/** A verdict seen: the rule's latest word on the alert (an inactive one only updates the
 * record; its text is what the resolve notice says, should it resolve). */
function observe(record: AlertRecord, verdict: RuleVerdict, run: number): AlertRecord {
  const conditionChanged = record.conditionActive !== verdict.active;
  return {
    ...record,
    forMs: verdict.forMs,
    channels: verdict.channels,
    lastVerdictRun: run,
    conditionActive: verdict.active,
    conditionSinceRun: conditionChanged ? run : record.conditionSinceRun,
    alert: {
      ...record.alert,
      // A severity only rises while firing (a resolve notice keeps the severity it fired at).
      severity: verdict.active ? verdict.severity : record.alert.severity,
      summary: verdict.summary,
      details: verdict.details,
    },
  };
}

function openAlert(step: Step, fingerprint: string, verdict: RuleVerdict): void {
  const labels = verdictLabels(verdict);
  let id = `${fingerprint}-${step.wall.toString(36)}`;
  for (let n = 2; step.draft.alerts[id]; n++) id = `${fingerprint}-${step.wall.toString(36)}-${n}`;
  const record: AlertRecord = {
    alert: {
      id,
      fingerprint,
      rule: verdict.rule,
      labels,
      severity: verdict.severity,
      state: 'pending',
      summary: verdict.summary,
      details: verdict.details,
      link: alertLink(labels, id),
      activeSince: step.iso,
      firingSince: null,
      resolvedAt: null,
      updatedAt: step.iso,
      acknowledged: null,
      silencedBy: [],
      inhibitedBy: null,
      flapping: false,
    },
    forMs: verdict.forMs,
    channels: verdict.channels,
    pendingSinceRun: step.run,
    firingSinceRun: null,
    resolvedAtRun: null,
    lastVerdictRun: step.run,
    conditionActive: true,
    conditionSinceRun: step.run,
  };
  setOpen(step, fingerprint, id);
  if (verdict.forMs <= 0) {
    put(step, fire(step, fingerprint, record));
    return;
  }
  step.changes.push({ kind: 'pending', alert: record.alert });
  put(step, record);
}

function fire(step: Step, fingerprint: string, record: AlertRecord): AlertRecord {
  const recent = noteChange(step, fingerprint);
  const flapping = recent > step.settings.flap.changes;
  const fired: AlertRecord = {
    ...record,
    firingSinceRun: step.run,
    alert: { ...record.alert, state: 'firing', firingSince: step.iso, updatedAt: step.iso, flapping },
  };
  step.changes.push({ kind: 'firing', alert: fired.alert });
  if (flapping) step.changes.push({ kind: 'flapping', alert: fired.alert });
  return fired;
}

function holdsFiring(step: Step, record: AlertRecord): AlertRecord {
  if (record.alert.flapping && step.run - record.conditionSinceRun >= step.settings.flap.settleMs) return settle(step, record);
  return record;
}

function clears(step: Step, fingerprint: string, record: AlertRecord): AlertRecord {
  const { flap } = step.settings;
  if (record.alert.flapping) return step.run - record.conditionSinceRun >= flap.settleMs ? resolve(step, fingerprint, record) : record;
  if (recentChanges(step, fingerprint).length + 1 > flap.changes) {
    const held: AlertRecord = { ...record, alert: { ...record.alert, flapping: true, updatedAt: step.iso } };
    step.changes.push({ kind: 'flapping', alert: held.alert });
    return held;
  }
  return resolve(step, fingerprint, record);
}

function settle(step: Step, record: AlertRecord): AlertRecord {
  const settled: AlertRecord = { ...record, alert: { ...record.alert, flapping: false, updatedAt: step.iso } };
  step.changes.push({ kind: 'settled', alert: settled.alert });
  return settled;
}

function resolve(step: Step, fingerprint: string, record: AlertRecord): AlertRecord {
  noteChange(step, fingerprint);
  setOpen(step, fingerprint, null);
  const resolved: AlertRecord = {
    ...record,
    resolvedAtRun: step.run,
    alert: { ...record.alert, state: 'resolved', resolvedAt: step.iso, updatedAt: step.iso, flapping: false },
  };
  step.changes.push({ kind: 'resolved', alert: resolved.alert });
  return resolved;
}

function drop(step: Step, fingerprint: string, record: AlertRecord): void {
  setOpen(step, fingerprint, null);
  delete step.draft.alerts[record.alert.id];
  step.changes.push({ kind: 'dropped', alert: record.alert });
}

/** An open alert no rule reported on this evaluation. */
function unreported(step: Step, fingerprint: string): void {
  const record = step.draft.alerts[step.draft.open[fingerprint]!]!;
  if (record.alert.rule === MACHINE_SLEPT_RULE) return;
  if (step.run - record.lastVerdictRun >= step.settings.resolveTimeoutMs) {
    if (record.alert.state === 'pending') drop(step, fingerprint, record);
    else put(step, resolve(step, fingerprint, { ...record, conditionActive: false }));
    return;
  }
  // A flapping alert settles on its last reported condition even when nothing new comes in.
  if (record.alert.state === 'firing' && record.alert.flapping) put(step, record.conditionActive ? holdsFiring(step, record) : clears(step, fingerprint, record));
}

function dropPending(step: Step): void {
  const open = step.draft.open;
  for (const fingerprint in open) {
    const record = step.draft.alerts[open[fingerprint]!]!;
    if (record.alert.state === 'pending') drop(step, fingerprint, record);
  }
}

function put(step: Step, record: AlertRecord): void {
  step.draft.alerts[record.alert.id] = record;
}

function setOpen(step: Step, fingerprint: string, id: string | null): void {
  if (step.draft.open === step.original.open) step.draft.open = copyCollection(step.original.open);
  if (id === null) delete step.draft.open[fingerprint];
  else step.draft.open[fingerprint] = id;
}

function recentChanges(step: Step, fingerprint: string): number[] {
  const since = step.run - step.settings.flap.windowMs;
  return (step.draft.changesAt[fingerprint] ?? []).filter((at) => at > since);
}

/** Records a fire or resolve; returns how many there were in the window, this one included. */
function noteChange(step: Step, fingerprint: string): number {
  const recent = [...recentChanges(step, fingerprint), step.run];
  if (step.draft.changesAt === step.original.changesAt) step.draft.changesAt = copyCollection(step.original.changesAt);
  step.draft.changesAt[fingerprint] = recent;
  return recent.length;
}

/** Drops resolved alerts listed longer than `keepMs`, unless a channel still has to be told
 * they resolved, and flap history older than the window. */
export function pruneLifecycle(state: LifecycleState, runMs: number, keepMs: number, flapWindowMs: number, stillNeeded: (id: string) => boolean): LifecycleState {
  let alerts = state.alerts;
  for (const id in state.alerts) {
    const resolvedAt = state.alerts[id]!.resolvedAtRun;
    if (resolvedAt === null || runMs - resolvedAt < keepMs || stillNeeded(id)) continue;
    if (alerts === state.alerts) alerts = copyCollection(state.alerts);
    delete alerts[id];
  }
  let changesAt = state.changesAt;
  for (const fingerprint in state.changesAt) {
    if (state.changesAt[fingerprint]!.some((at) => at > runMs - flapWindowMs)) continue;
    if (changesAt === state.changesAt) changesAt = copyCollection(state.changesAt);
    delete changesAt[fingerprint];
  }
  return alerts === state.alerts && changesAt === state.changesAt ? state : { ...state, alerts, changesAt };
}
