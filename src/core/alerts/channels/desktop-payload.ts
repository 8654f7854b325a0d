// What a desktop notification says and offers, decided once for both implementations: Electron's
// Notification in the app (src/main/alert-notification.ts shows it) and node-notifier headless
// (desktop.ts). Pure: the payload is a function of the notification alone.
// It carries on what src/main/notification-for-event.ts did for crashes, crash loops and failing
// health checks (a Restart button, "Vigil is restarting it"), for every alert: the buttons are
// Restart service (when the alerts are about one service), Silence 1 h and Open; a click opens the
// alert's view of the dashboard.
import type { AlertNotification } from '../../../shared/alerts.ts';
import { alertFacts, alertUrl, notificationHeadline, reasonTag, truncate, worstSeverity } from './alert-text.ts';

export type DesktopActionId = 'restart' | 'silence-1h' | 'open';

export interface DesktopAction {
  id: DesktopActionId;
  text: string;
}

export interface DesktopPayload {
  title: string;
  body: string;
  /** As Electron's and notify-send's urgency. */
  urgency: 'low' | 'normal' | 'critical';
  actions: DesktopAction[];
  /** The dashboard view a click opens (the alert's, or the alerts list for a group). */
  link: string;
  /** The service "Restart service" restarts; null when the alerts are not about one service. */
  service: string | null;
  /** What "Silence 1 h" silences (by fingerprint, as silences match alerts). */
  fingerprints: string[];
  alertIds: string[];
}

/** Notification bodies are shown in a few lines; longer text is cut by the system anyway. */
export const DESKTOP_LIMITS = { title: 100, body: 400, groupLines: 5 } as const;

const SILENCE_MS = 3_600_000;
export const DESKTOP_SILENCE_MS = SILENCE_MS;

const SHORT_FACTS = new Set(['Value', 'Threshold', 'Exit code', 'Signal', 'Restarts', 'Matching lines', 'Reaches limit']);

export function desktopPayload(notification: AlertNotification): DesktopPayload {
  const { alerts } = notification;
  const tag = reasonTag(notification);
  const stillFiring = notification.reason !== 'resolved' && alerts.some((a) => a.state === 'firing');
  const prefix = notification.reason === 'resolved' ? 'Resolved: ' : notification.reason === 'test' ? 'Test: ' : notification.reason === 'escalation' ? 'Unacknowledged: ' : '';
  const title = truncate(`${prefix}${notificationHeadline(notification)}`, DESKTOP_LIMITS.title);

  let body: string;
  if (alerts.length === 1) {
    const alert = alerts[0]!;
    const facts = alertFacts(alert).filter(([k]) => SHORT_FACTS.has(k));
    const lines = [facts.map(([k, v]) => `${k} ${v}`).join(' · ')];
    const lastLine = alert.details.lastLines?.at(-1);
    if (lastLine && stillFiring) lines.push(lastLine);
    body = lines.filter(Boolean).join('\n') || alert.summary;
  } else {
    const shown = alerts.slice(0, DESKTOP_LIMITS.groupLines).map((a) => `• ${a.summary}`);
    const more = alerts.length - shown.length;
    body = [...shown, ...(more > 0 ? [`…and ${more} more`] : [])].join('\n');
  }
  body = truncate(body, DESKTOP_LIMITS.body);

  const services = new Set(alerts.map((a) => a.details.service ?? a.labels.service ?? null));
  const service = services.size === 1 ? ([...services][0] ?? null) : null;
  const actions: DesktopAction[] = [];
  if (stillFiring && service) actions.push({ id: 'restart', text: 'Restart service' });
  if (stillFiring) actions.push({ id: 'silence-1h', text: 'Silence 1 h' });
  actions.push({ id: 'open', text: 'Open' });

  const severity = worstSeverity(notification);
  const urgency = !stillFiring || tag === 'TEST' ? 'low' : severity === 'critical' ? 'critical' : severity === 'warning' ? 'normal' : 'low';
  const link = alerts.length === 1 ? alertUrl(notification, alerts[0]!) : new URL('#/alerts', notification.dashboardUrl).toString();

  return { title, body, urgency, actions, link, service, fingerprints: alerts.map((a) => a.fingerprint), alertIds: alerts.map((a) => a.id) };
}
