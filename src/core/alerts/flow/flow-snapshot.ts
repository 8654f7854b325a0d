// The flow's part of the alerts snapshot (the channels' statuses come from notify/): what the
// dashboard, the tray and `vigil alerts` show.
import { type Alert, type AlertSeverity, type AlertsSnapshot, worseSeverity } from '../../../shared/alerts.ts';
import { MACHINE_SLEPT_RULE } from '../lifecycle/machine-slept.ts';
import { inQuietHours } from '../silences/quiet-hours.ts';
import { isPaused } from '../silences/silences.ts';
import type { AlertFlowContext } from './alert-flow.ts';
import type { AlertFlowState } from './flow-state.ts';

const STATE_ORDER: Record<Alert['state'], number> = { firing: 0, pending: 1, resolved: 2 };
const SEVERITY_ORDER: Record<AlertSeverity, number> = { critical: 0, warning: 1, info: 2 };

export function flowSnapshot(state: AlertFlowState, context: AlertFlowContext, wallMs: number): Omit<AlertsSnapshot, 'channels'> {
  const alerts = Object.values(state.lifecycle.alerts)
    .map((r) => r.alert)
    .sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.activeSince.localeCompare(a.activeSince));
  let worst: AlertSeverity | null = null;
  for (const alert of alerts) {
    if (alert.state === 'firing' && alert.acknowledged === null && alert.silencedBy.length === 0 && alert.rule !== MACHINE_SLEPT_RULE) worst = worseSeverity(worst, alert.severity);
  }
  return {
    alerts,
    silences: state.silences.silences,
    pausedUntil: isPaused(state.silences, wallMs) ? new Date(state.silences.pausedUntil!).toISOString() : null,
    quiet: inQuietHours(context.config.quietHours, wallMs, context.timeZone),
    worst,
  };
}

/** One alert by id, for the API's ack route (404 when absent). */
export function findAlert(state: AlertFlowState, id: string): Alert | null {
  return state.lifecycle.alerts[id]?.alert ?? null;
}
