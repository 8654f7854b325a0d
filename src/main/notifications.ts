// Desktop notifications for crashes, crash loops and failing health checks, with a Restart
// button where the system supports one (macOS). What to say is notification-for-event.ts's call.
import { Notification } from 'electron';
import type { StateSnapshot } from '../shared/contract.ts';
import { serviceViewFragment } from '../shared/dashboard-routes.ts';
import type { EngineHandle } from './engine-process.ts';
import { notificationForEvent } from './notification-for-event.ts';
import { type NotifiedAt, throttleNotification } from './notification-throttle.ts';

/** `openDashboard` shows the window at a dashboard address fragment (the service's view). */
export function setupNotifications(engine: EngineHandle, openDashboard: (fragment: string) => void): void {
  if (!Notification.isSupported()) return;
  let state: StateSnapshot | null = null;
  let notifiedAt: NotifiedAt = new Map();
  // A notification that is garbage-collected loses its click and action handlers.
  const shown = new Set<Notification>();
  engine.onLive((message) => {
    if (message.kind === 'state') {
      state = message.state;
      return;
    }
    if (message.kind !== 'event') return; // main's port gets no metrics ticks; were it to, they notify nothing
    const payload = notificationForEvent(message.event, state);
    if (!payload) return;
    const verdict = throttleNotification(payload, notifiedAt, Date.now());
    notifiedAt = verdict.notifiedAt;
    if (!verdict.show) return;
    const notification = new Notification({
      title: payload.title,
      body: payload.body,
      urgency: payload.urgency,
      actions: payload.actions.map((a) => ({ type: 'button' as const, text: a.text })),
    });
    shown.add(notification);
    notification.on('action', (_event, index) => {
      if (payload.actions[index]?.id === 'restart') {
        engine.call({ method: 'act', service: payload.service, action: 'restart' }).catch((err: Error) => console.error(`vigil: ${err.message}`));
      }
    });
    // A click opens the service's own view: its charts, with this crash marked on them.
    notification.on('click', () => openDashboard(serviceViewFragment(payload.service)));
    notification.on('close', () => shown.delete(notification));
    notification.show();
  });
}
