// Acknowledging: "I know, I am on it". It stops repeats and escalation of this occurrence (the
// dispatch reads `acknowledged`), not its resolve notice. A re-fire after a resolve is a new
// occurrence with a new id, unacknowledged again.
import { type AlertChange, copyCollection, type LifecycleState } from './alert-record.ts';

export interface AckRequest {
  /** The alert's id (one occurrence), as the API and the CLI take it. */
  id: string;
  /** Who acknowledged: "cli", "dashboard", "tray", a user name. */
  by: string;
}

export interface Rejected {
  what: string;
  reason: string;
}

export function acknowledgeAlerts(
  state: LifecycleState,
  acks: readonly AckRequest[],
  wallMs: number,
): { state: LifecycleState; changes: AlertChange[]; rejected: Rejected[] } {
  if (acks.length === 0) return { state, changes: [], rejected: [] };
  const alerts = copyCollection(state.alerts);
  const changes: AlertChange[] = [];
  const rejected: Rejected[] = [];
  const iso = new Date(wallMs).toISOString();
  for (const ack of acks) {
    const record = alerts[ack.id];
    if (!record) rejected.push({ what: `ack ${ack.id}`, reason: `no alert has the id "${ack.id}"` });
    else if (record.alert.state === 'pending') rejected.push({ what: `ack ${ack.id}`, reason: 'the alert is pending: it has not fired yet' });
    else if (record.alert.state === 'resolved') rejected.push({ what: `ack ${ack.id}`, reason: 'the alert has already resolved' });
    else if (record.alert.acknowledged === null) {
      const alert = { ...record.alert, acknowledged: { at: iso, by: ack.by }, updatedAt: iso };
      alerts[ack.id] = { ...record, alert };
      changes.push({ kind: 'acknowledged', alert });
    }
  }
  return { state: changes.length > 0 ? { ...state, alerts } : state, changes, rejected };
}
