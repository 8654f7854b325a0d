// Shows an alert's desktop notification in the app: Electron's Notification with the buttons
// the payload names (macOS shows them; elsewhere a click still opens the view). What it says and
// offers is decided in the engine (src/core/alerts/channels/desktop-payload.ts); this file only
// maps it onto Electron and the buttons onto what the app can do.
// Not wired yet: the alerts subsystem will hand payloads to main over the engine's port, and then
// this replaces notifications.ts's own crash notifications (notification-for-event.ts and
// notification-throttle.ts, whose ideas desktop-payload.ts and desktop-throttle.ts carry on).
import { Notification } from 'electron';
import { type DesktopActionId, type DesktopPayload, DESKTOP_SILENCE_MS } from '../core/alerts/channels/desktop-payload.ts';

export interface AlertNotificationHandlers {
  restart(service: string): void;
  silence(fingerprints: string[], durationMs: number): void;
  /** Opens the dashboard at a view ("http://127.0.0.1:7357/#/service/server"). */
  open(link: string): void;
}

// A notification that is garbage-collected loses its click and action handlers.
const shown = new Set<Notification>();

export function showAlertNotification(payload: DesktopPayload, handlers: AlertNotificationHandlers): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({
    title: payload.title,
    body: payload.body,
    urgency: payload.urgency,
    actions: payload.actions.map((a) => ({ type: 'button' as const, text: a.text })),
  });
  const run = (id: DesktopActionId | undefined) => {
    if (id === 'restart' && payload.service) handlers.restart(payload.service);
    else if (id === 'silence-1h') handlers.silence(payload.fingerprints, DESKTOP_SILENCE_MS);
    else handlers.open(payload.link);
  };
  shown.add(notification);
  notification.on('action', (_event, index) => run(payload.actions[index]?.id));
  notification.on('click', () => run('open'));
  notification.on('close', () => shown.delete(notification));
  notification.show();
}
