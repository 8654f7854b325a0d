// PagerDuty: the Events API v2, one event per alert.
// Docs (checked for this file, PagerDuty's developer docs: events-API-v2/02-Trigger-Events.md and
// 01-Overview.md, https://developer.pagerduty.com/docs/events-api-v2/trigger-events/):
//   POST https://events.pagerduty.com/v2/enqueue, answered 202 {"status":"success",...};
//   routing_key, event_action (trigger | acknowledge | resolve), dedup_key (at most 255 chars);
//   a trigger has payload.summary (at most 1024 chars), payload.source, payload.severity
//   (critical | error | warning | info), optional timestamp, component, group, class,
//   custom_details, and links [{href, text}]; acknowledge and resolve need only routing_key,
//   dedup_key and event_action;
//   400 is not worth retrying; 429 and 5xx are ("retry after some time").
// The dedup_key is the alert's fingerprint: the same problem is one PagerDuty alert, so an
// escalation or a repeat re-triggers it instead of paging twice, and acknowledge and resolve find
// it. After a resolve, PagerDuty opens a new alert on the next trigger with that key.
import { hostname } from 'node:os';
import type { Alert, AlertNotification, AlertSeverity } from '../../../shared/alerts.ts';
import { secretRedactor } from '../notify/redact.ts';
import { alertFacts, alertUrl, lastLinesText, truncate } from './alert-text.ts';
import type { AlertChannel, SendContext } from './channel.ts';
import { postJson } from './http-post.ts';

export type PagerDutyAction = 'trigger' | 'acknowledge' | 'resolve';

export interface PagerDutyEvent {
  routing_key: string;
  event_action: PagerDutyAction;
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: 'critical' | 'error' | 'warning' | 'info';
    timestamp: string;
    component?: string;
    group?: string;
    class: string;
    custom_details: Record<string, unknown>;
  };
  links?: Array<{ href: string; text: string }>;
  client: string;
  client_url: string;
}

const PD_SEVERITY: Record<AlertSeverity, 'critical' | 'warning' | 'info'> = { critical: 'critical', warning: 'warning', info: 'info' };

/** What a notification asks of PagerDuty for one of its alerts (null: nothing to say). */
export function pagerDutyAction(notification: AlertNotification, alert: Alert): PagerDutyAction | null {
  switch (notification.reason) {
    case 'resolved':
      return alert.state === 'resolved' ? 'resolve' : null;
    case 'acknowledged':
      return 'acknowledge';
    default:
      // firing, repeat, escalation, test: (re-)trigger what is firing.
      return alert.state === 'resolved' ? 'resolve' : 'trigger';
  }
}

/** The events for a notification, in the order they are sent. A test notification triggers its
 * alert and resolves it at once: it shows that the key works without leaving an incident open. */
export function pagerDutyEvents(notification: AlertNotification, routingKey: string, source: string): PagerDutyEvent[] {
  const events: PagerDutyEvent[] = [];
  for (const alert of notification.alerts) {
    const action = pagerDutyAction(notification, alert);
    if (!action) continue;
    const base = { routing_key: routingKey, event_action: action, dedup_key: truncate(alert.fingerprint, 255), client: 'Vigil', client_url: alertUrl(notification, alert) };
    if (action !== 'trigger') {
      events.push(base);
      continue;
    }
    const details: Record<string, unknown> = Object.fromEntries(alertFacts(alert));
    details.labels = alert.labels;
    const last = lastLinesText(alert, 4000);
    if (last) details['last output'] = last;
    events.push({
      ...base,
      payload: {
        summary: truncate(alert.summary, 1024),
        source,
        severity: PD_SEVERITY[alert.severity],
        timestamp: alert.firingSince ?? alert.activeSince,
        ...(alert.details.service ? { component: alert.details.service } : {}),
        group: 'vigil',
        class: alert.rule,
        custom_details: details,
      },
      links: [{ href: alertUrl(notification, alert), text: 'Open in Vigil' }],
    });
    if (notification.reason === 'test') events.push({ ...base, event_action: 'resolve' });
  }
  return events;
}

export interface PagerDutyChannelOptions {
  name: string;
  routingKey: string;
  url: string;
  source?: string;
  timeoutMs: number;
}

export function pagerDutyChannel(options: PagerDutyChannelOptions): AlertChannel {
  const redact = secretRedactor([options.routingKey]);
  const source = options.source ?? hostname();
  return {
    name: options.name,
    kind: 'pagerduty',
    redact,
    async send(notification: AlertNotification, context: SendContext) {
      // One request per event, in order; a retry sends them all again, which PagerDuty's
      // deduplication by dedup_key makes harmless.
      for (const event of pagerDutyEvents(notification, options.routingKey, source)) {
        await postJson({ receiver: 'PagerDuty', url: options.url, body: event, timeoutMs: options.timeoutMs, now: context.now, signal: context.signal, redact });
      }
    },
  };
}
