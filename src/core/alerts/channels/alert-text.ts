// What every channel says about an alert, in plain text: the title line, the facts the user
// needs to act (value and threshold, exit code, restarts, the last log lines), the link to the
// dashboard view. Each channel lays these out in its own markup; the words stay the same.
import { type Alert, type AlertNotification, type AlertSeverity, worseSeverity } from '../../../shared/alerts.ts';

export const SEVERITY_LABEL: Record<AlertSeverity, string> = { info: 'INFO', warning: 'WARNING', critical: 'CRITICAL' };

/** Cuts a text to `max` characters (an ellipsis included). */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return max <= 1 ? text.slice(0, max) : `${text.slice(0, max - 1)}…`;
}

/** The worst severity among the notification's alerts. */
export function worstSeverity(notification: AlertNotification): AlertSeverity {
  return notification.alerts.reduce<AlertSeverity | null>((worst, a) => worseSeverity(worst, a.severity), null) ?? 'info';
}

/** The tag in front of a title: the severity while firing, else what happened. */
export function reasonTag(notification: AlertNotification): string {
  switch (notification.reason) {
    case 'resolved':
      return 'RESOLVED';
    case 'acknowledged':
      return 'ACKNOWLEDGED';
    case 'test':
      return 'TEST';
    default:
      return SEVERITY_LABEL[worstSeverity(notification)];
  }
}

const VERB: Record<AlertNotification['reason'], string> = {
  firing: 'firing',
  repeat: 'still firing',
  escalation: 'firing, unacknowledged',
  resolved: 'resolved',
  acknowledged: 'acknowledged',
  test: 'test',
};

/** One line about the whole notification: the alert's summary, or a count and the summaries. */
export function notificationHeadline(notification: AlertNotification): string {
  const alerts = notification.alerts;
  if (alerts.length === 1) return alerts[0]!.summary;
  return `${alerts.length} alerts ${VERB[notification.reason]}: ${alerts.map((a) => a.summary).join('; ')}`;
}

/** "[CRITICAL] server crashed", "[RESOLVED] 3 alerts resolved: ...". */
export function notificationTitle(notification: AlertNotification): string {
  return `[${reasonTag(notification)}] ${notificationHeadline(notification)}`;
}

/** The dashboard URL of the alert's view (its link is a hash route such as "#/service/server"). */
export function alertUrl(notification: AlertNotification, alert: Alert): string {
  try {
    return new URL(alert.link || '', notification.dashboardUrl).toString();
  } catch {
    return notification.dashboardUrl;
  }
}

function formatValue(value: number, unit: string | undefined): string {
  const rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 100) / 100;
  if (!unit) return String(rounded);
  return unit === '%' ? `${rounded} %` : `${rounded} ${unit}`;
}

/** The facts of an alert as label/value pairs, in the order a user reads them. */
export function alertFacts(alert: Alert): Array<[string, string]> {
  const d = alert.details;
  const facts: Array<[string, string]> = [['Severity', alert.severity]];
  if (d.service) facts.push(['Service', d.service]);
  if (typeof d.value === 'number') facts.push(['Value', formatValue(d.value, d.unit)]);
  if (typeof d.threshold === 'number') facts.push(['Threshold', formatValue(d.threshold, d.unit)]);
  if (d.series) facts.push(['Series', d.series]);
  if (typeof d.exitCode === 'number') facts.push(['Exit code', String(d.exitCode)]);
  if (d.signal) facts.push(['Signal', d.signal]);
  if (typeof d.restarts === 'number') facts.push(['Restarts', String(d.restarts)]);
  if (typeof d.matches === 'number') facts.push(['Matching lines', String(d.matches)]);
  if (d.forecast) facts.push(['Reaches limit', `${formatValue(d.forecast.limit, d.unit)} at ${d.forecast.reachesAt}`]);
  for (const [key, value] of Object.entries(d.facts ?? {})) facts.push([key, value]);
  facts.push(['Since', alert.firingSince ?? alert.activeSince]);
  if (alert.resolvedAt) facts.push(['Resolved', alert.resolvedAt]);
  if (alert.acknowledged) facts.push(['Acknowledged', `${alert.acknowledged.at} by ${alert.acknowledged.by}`]);
  return facts;
}

/** The last log lines of a crash, newest last, cut to fit `maxChars` (the newest are kept). */
export function lastLinesText(alert: Alert, maxChars: number): string | null {
  const lines = alert.details.lastLines ?? [];
  if (lines.length === 0) return null;
  let text = lines.join('\n');
  if (text.length > maxChars) text = `…${text.slice(text.length - maxChars + 1)}`;
  return text;
}

/** The whole alert as plain text: summary, facts, last lines, link (email and desktop bodies). */
export function alertPlainText(notification: AlertNotification, alert: Alert): string {
  const lines = [alert.summary, ...alertFacts(alert).map(([k, v]) => `  ${k}: ${v}`)];
  const last = lastLinesText(alert, 4000);
  if (last) lines.push('  Last output:', ...last.split('\n').map((l) => `    ${l}`));
  lines.push(`  Open: ${alertUrl(notification, alert)}`);
  return lines.join('\n');
}
