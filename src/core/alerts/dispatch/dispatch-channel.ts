// What the dispatch needs to know of a channel: its name, and which notices it takes. The
// channels themselves (how to send) live in channels/; the integrator maps each configured
// channel to one of these, starting from its kind's defaults.
import type { AlertSeverity, ChannelKind } from '../../../shared/alerts.ts';

export interface DispatchChannel {
  name: string;
  kind: ChannelKind;
  /** The least severity the channel is sent. */
  minSeverity: AlertSeverity;
  /** Tell the channel when an alert it saw fire resolves (Alertmanager's send_resolved). */
  sendResolved: boolean;
  /** Tell the channel when an alert it saw fire is acknowledged (PagerDuty acknowledges the incident). */
  sendAcknowledged: boolean;
}

export type ChannelPolicy = Omit<DispatchChannel, 'name' | 'kind'>;

// The desktop is where the user is: everything, including info ("tunnel URL changed"). Chat
// and mail are shared with a team: warnings and up. PagerDuty wakes people: critical only.
// Webhooks and Alertmanager feed other machines, which filter for themselves: everything.
// Every channel that saw an alert fire is told it resolved, or it would show it open forever.
export const CHANNEL_POLICY: Record<ChannelKind, ChannelPolicy> = {
  desktop: { minSeverity: 'info', sendResolved: true, sendAcknowledged: false },
  slack: { minSeverity: 'warning', sendResolved: true, sendAcknowledged: false },
  discord: { minSeverity: 'warning', sendResolved: true, sendAcknowledged: false },
  email: { minSeverity: 'warning', sendResolved: true, sendAcknowledged: false },
  webhook: { minSeverity: 'info', sendResolved: true, sendAcknowledged: true },
  pagerduty: { minSeverity: 'critical', sendResolved: true, sendAcknowledged: true },
  alertmanager: { minSeverity: 'info', sendResolved: true, sendAcknowledged: false },
};

export function dispatchChannel(name: string, kind: ChannelKind, overrides: Partial<ChannelPolicy> = {}): DispatchChannel {
  return { name, kind, ...CHANNEL_POLICY[kind], ...overrides };
}

const RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

export function severityAtLeast(severity: AlertSeverity, least: AlertSeverity): boolean {
  return RANK[severity] >= RANK[least];
}
