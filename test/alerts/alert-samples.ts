// Alerts and notifications for the channel and delivery tests, with every field filled as the
// lifecycle would fill it.
import type { Alert, AlertNotification, AlertSeverity, NotificationReason } from '../../src/shared/alerts.ts';

const T0 = Date.UTC(2026, 3, 1, 12, 0, 0);
export const AT = (s: number) => new Date(T0 + s * 1000).toISOString();

let counter = 0;

export function sampleAlert(over: Partial<Alert> & { service?: string } = {}): Alert {
  const n = ++counter;
  const service = over.service ?? 'server';
  return {
    id: `fp-${service}-${n}@${AT(0)}`,
    fingerprint: `fp-${service}-${n}`,
    rule: 'service-crashed',
    labels: { alertname: 'service-crashed', service },
    severity: 'critical',
    state: 'firing',
    summary: `${service} crashed (exit code 1)`,
    details: { service, exitCode: 1, signal: null, restarts: 3, lastLines: ['listening on 5555', 'Error: boom', '    at main (server.js:10:5)'] },
    link: `#/service/${service}`,
    activeSince: AT(0),
    firingSince: AT(0),
    resolvedAt: null,
    updatedAt: AT(0),
    acknowledged: null,
    silencedBy: [],
    inhibitedBy: null,
    flapping: false,
    ...over,
  };
}

export function resolvedCopy(alert: Alert, at = 60): Alert {
  return { ...alert, state: 'resolved', resolvedAt: AT(at), updatedAt: AT(at) };
}

export function sampleNotification(
  channel: string,
  alerts: Alert[] = [sampleAlert()],
  reason: NotificationReason = 'firing',
  over: Partial<AlertNotification> = {},
): AlertNotification {
  const n = ++counter;
  return { id: `n-${n}`, channel, reason, groupKey: 'alertname=service-crashed', alerts, dashboardUrl: 'http://127.0.0.1:7357/', createdAt: AT(0), ...over };
}

export const severities: AlertSeverity[] = ['info', 'warning', 'critical'];
