// Keeps a flapping alert from flooding the desktop (pure). Carried over from the app's crash
// throttle (src/main/notification-throttle.ts), keyed by alert instead of by service: the first
// time an alert fires is news; the same alert firing again within the quiet period is not (the
// tray and the dashboard have it, and the chat channels still get every notification). A resolve,
// an escalation or a test always gets through: each says something new.
import type { AlertNotification } from '../../../shared/alerts.ts';

export const DESKTOP_QUIET_MS = 60_000;

export type ShownAt = ReadonlyMap<string, number>;

export function throttleDesktop(notification: AlertNotification, shownAt: ShownAt, now: number, quietMs = DESKTOP_QUIET_MS): { show: boolean; shownAt: ShownAt } {
  const repeatable = notification.reason === 'firing' || notification.reason === 'repeat';
  const fresh = notification.alerts.filter((a) => now - (shownAt.get(a.fingerprint) ?? -Infinity) >= quietMs);
  if (repeatable && fresh.length === 0) return { show: false, shownAt };
  // What is past its quiet period is forgotten, so the map does not grow with every alert shown.
  const next = new Map([...shownAt].filter(([, at]) => now - at < quietMs));
  for (const alert of notification.alerts) next.set(alert.fingerprint, now);
  return { show: true, shownAt: next };
}
