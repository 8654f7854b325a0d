// Keeps a crashing service from flooding the desktop (pure; no Electron). The first crash of a
// service is news; more crashes of it within the quiet period are not, since the events list
// and the tray have them, and a crash loop gets its own notification anyway. A crash loop or a
// failing health check always gets through: each is a change of state, not a repeat.
import type { NotificationPayload } from './notification-for-event.ts';

export const CRASH_QUIET_MS = 60_000;

export type NotifiedAt = ReadonlyMap<string, number>;

export function throttleNotification(
  payload: NotificationPayload,
  notifiedAt: NotifiedAt,
  now: number,
  quietMs = CRASH_QUIET_MS,
): { show: boolean; notifiedAt: NotifiedAt } {
  const isRepeatCrash = payload.kind === 'crash' && now - (notifiedAt.get(payload.service) ?? -Infinity) < quietMs;
  if (isRepeatCrash) return { show: false, notifiedAt };
  return { show: true, notifiedAt: new Map(notifiedAt).set(payload.service, now) };
}
