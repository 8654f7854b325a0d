// "The computer slept": an alert of Vigil's own, open while the grace period after a wake
// lasts. It tells the user why nothing was judged for a while, and it is the root cause that
// mutes every other alert meanwhile (inhibit/), so nothing that piled up while the machine
// slept (a repeat, a resolve) goes out in a burst at wake. It never notifies on its own.
import { formatDuration } from '../../kit/units.ts';
import type { AlertChange, AlertRecord, LifecycleState } from './alert-record.ts';
import { alertFingerprint } from './fingerprint.ts';

export const MACHINE_SLEPT_RULE = 'machine-slept';
export const MACHINE_SLEPT_LABELS = { alertname: MACHINE_SLEPT_RULE };
export const MACHINE_SLEPT_FINGERPRINT = alertFingerprint(MACHINE_SLEPT_RULE, MACHINE_SLEPT_LABELS);

export interface Wake {
  atWall: number;
  sleptMs: number;
  graceUntilRun: number;
}

/** Opens (or, after another sleep within the grace, renews) the alert for a wake. */
export function openMachineSlept(state: LifecycleState, wake: Wake, runMs: number, graceMs: number): { state: LifecycleState; changes: AlertChange[] } {
  const iso = new Date(wake.atWall).toISOString();
  const openId = state.open[MACHINE_SLEPT_FINGERPRINT];
  const current = openId === undefined ? undefined : state.alerts[openId];
  const id = current?.alert.id ?? `${MACHINE_SLEPT_FINGERPRINT}-${wake.atWall.toString(36)}`;
  const summary = `The computer slept for ${formatDuration(wake.sleptMs)}; alerts are judged again ${formatDuration(graceMs)} after it woke.`;
  const record: AlertRecord = {
    alert: {
      id,
      fingerprint: MACHINE_SLEPT_FINGERPRINT,
      rule: MACHINE_SLEPT_RULE,
      labels: MACHINE_SLEPT_LABELS,
      severity: 'info',
      state: 'firing',
      summary,
      details: { facts: { slept: formatDuration(wake.sleptMs), woke: iso } },
      link: `#/alerts/${encodeURIComponent(id)}`,
      activeSince: current?.alert.activeSince ?? iso,
      firingSince: current?.alert.firingSince ?? iso,
      resolvedAt: null,
      updatedAt: iso,
      acknowledged: null,
      silencedBy: [],
      inhibitedBy: null,
      flapping: false,
    },
    forMs: 0,
    channels: [],
    pendingSinceRun: current?.pendingSinceRun ?? runMs,
    firingSinceRun: current?.firingSinceRun ?? runMs,
    resolvedAtRun: null,
    lastVerdictRun: runMs,
    conditionActive: true,
    conditionSinceRun: runMs,
  };
  return {
    state: { ...state, alerts: { ...state.alerts, [id]: record }, open: { ...state.open, [MACHINE_SLEPT_FINGERPRINT]: id } },
    changes: current ? [] : [{ kind: 'firing', alert: record.alert }],
  };
}

/** Resolves the wake's alert once its grace period is over. */
export function closeMachineSlept(state: LifecycleState, wallMs: number, runMs: number): { state: LifecycleState; changes: AlertChange[] } {
  const id = state.open[MACHINE_SLEPT_FINGERPRINT];
  const current = id === undefined ? undefined : state.alerts[id];
  if (!current) return { state, changes: [] };
  const iso = new Date(wallMs).toISOString();
  const resolved: AlertRecord = { ...current, resolvedAtRun: runMs, alert: { ...current.alert, state: 'resolved', resolvedAt: iso, updatedAt: iso } };
  const open = { ...state.open };
  delete open[MACHINE_SLEPT_FINGERPRINT];
  return { state: { ...state, alerts: { ...state.alerts, [resolved.alert.id]: resolved }, open }, changes: [{ kind: 'resolved', alert: resolved.alert }] };
}
