// Which engine events deserve a desktop notification, and what it says (pure; no Electron).
import type { EngineEvent, StateSnapshot } from '../shared/contract.ts';

export interface NotificationAction {
  /** What the button does; the glue maps it to an engine command. */
  id: 'restart';
  text: string;
}

export interface NotificationPayload {
  kind: 'crash' | 'crash-loop' | 'unhealthy';
  title: string;
  body: string;
  service: string;
  urgency: 'normal' | 'critical';
  actions: NotificationAction[];
}

const RESTART: NotificationAction = { id: 'restart', text: 'Restart' };

function exitText(event: EngineEvent): string {
  if (event.signal) return `was killed by ${event.signal}`;
  if (event.exitCode !== undefined && event.exitCode !== null) return `exited with code ${event.exitCode}`;
  return 'exited';
}

/** A crash, a crash loop or a failing health check → a notification with a Restart button;
 * anything else → null. With the snapshot, a crash that auto-restart is already handling
 * says so. */
export function notificationForEvent(event: EngineEvent, state: StateSnapshot | null = null): NotificationPayload | null {
  const service = event.service;
  if (service === null) return null;
  if (event.type === 'service.exit') {
    const auto = state?.services.find((s) => s.name === service)?.autoRestart;
    const next = auto === true ? ' Vigil is restarting it.' : auto === false ? ' Auto-restart is off.' : '';
    return { kind: 'crash', title: `${service} crashed`, body: `${service} ${event.message || exitText(event)}.${next}`, service, urgency: 'normal', actions: [RESTART] };
  }
  if (event.type === 'service.state' && event.to !== undefined && event.to !== event.from) {
    if (event.to === 'crash-looping') {
      return { kind: 'crash-loop', title: `${service} keeps crashing`, body: event.message, service, urgency: 'critical', actions: [RESTART] };
    }
    if (event.to === 'unhealthy') {
      const body = event.message === 'unhealthy' ? `${service} fails its health check.` : event.message;
      return { kind: 'unhealthy', title: `${service} is unhealthy`, body, service, urgency: 'normal', actions: [RESTART] };
    }
  }
  return null;
}
