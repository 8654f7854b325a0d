// Prometheus Alertmanager: POST /api/v2/alerts with postable alerts.
// Docs (checked for this file):
//   https://prometheus.io/docs/alerting/latest/clients/  ("Clients are expected to continuously
//     re-send alerts as long as they are still active (usually on the order of 30 seconds to 3
//     minutes)"; labels identify an alert; annotations are replaced by the latest received;
//     endsAt only when the end is known, else Alertmanager resolves it resolve_timeout after it
//     was last received)
//   https://prometheus.io/docs/alerting/latest/alerts_api/  (JSON array of {labels, annotations,
//     startsAt, endsAt, generatorURL}; RFC 3339 times)
//   alertmanager's api/v2/openapi.yaml: postableAlert (labels required; label names as in
//     Prometheus, [a-zA-Z_][a-zA-Z0-9_]*)
// As Prometheus itself does, every firing alert is sent with an endsAt a few re-send intervals
// ahead and re-sent every interval while it fires: if Vigil goes away, Alertmanager resolves the
// alert on its own instead of keeping it firing forever. A resolved alert is sent once more with
// its real end. What is firing survives a restart: the notifier hands start() what this channel
// delivered before.
import type { Alert, AlertNotification } from '../../../shared/alerts.ts';
import type { Clock } from '../../kit/clock.ts';
import { secretRedactor } from '../notify/redact.ts';
import { alertFacts, alertUrl } from './alert-text.ts';
import type { AlertChannel, SendContext } from './channel.ts';
import { postJson } from './http-post.ts';

/** endsAt of a firing alert: this many re-send intervals ahead (Prometheus uses 4 too). */
export const ENDS_AFTER_INTERVALS = 4;

export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
}

/** Prometheus label names: letters, digits and "_", not starting with a digit. */
export function labelName(name: string): string {
  const clean = name.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(clean) ? `_${clean}` : clean || '_';
}

export function postableAlert(notification: AlertNotification, alert: Alert, now: number, resendIntervalMs: number): PostableAlert {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(alert.labels)) labels[labelName(k)] = v;
  labels.alertname ??= alert.rule;
  labels.severity ??= alert.severity;
  const description = alertFacts(alert)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  const resolved = alert.state === 'resolved';
  return {
    labels,
    annotations: { summary: alert.summary, description, vigil_alert_id: alert.id, vigil_fingerprint: alert.fingerprint },
    startsAt: alert.firingSince ?? alert.activeSince,
    endsAt: resolved ? (alert.resolvedAt ?? new Date(now).toISOString()) : new Date(now + ENDS_AFTER_INTERVALS * resendIntervalMs).toISOString(),
    generatorURL: alertUrl(notification, alert),
  };
}

export interface AlertmanagerChannelOptions {
  name: string;
  /** Base URL, no trailing slash. */
  url: string;
  resendIntervalMs: number;
  timeoutMs: number;
  clock: Clock;
}

export interface AlertmanagerChannel extends AlertChannel {
  /** Fingerprints Vigil keeps re-sending (firing alerts it has delivered). */
  readonly firing: ReadonlySet<string>;
}

export function alertmanagerChannel(options: AlertmanagerChannelOptions): AlertmanagerChannel {
  // The URL may carry basic-auth credentials (http://user:pass@host).
  const redact = secretRedactor([options.url]);
  const endpoint = `${options.url}/api/v2/alerts`;
  // Fingerprint -> the latest notification and alert delivered for it, while it fires.
  const firing = new Map<string, { notification: AlertNotification; alert: Alert }>();
  let timer: unknown = null;
  let stopped = new AbortController();
  let report: (error: Error | null) => void = () => {};

  const remember = (notification: AlertNotification) => {
    if (notification.reason === 'test') return; // a test alert ends on its own
    for (const alert of notification.alerts) {
      if (alert.state === 'resolved') firing.delete(alert.fingerprint);
      else if (alert.state === 'firing') firing.set(alert.fingerprint, { notification, alert });
    }
  };

  const post = (alerts: PostableAlert[], now: number, signal: AbortSignal) =>
    postJson({ receiver: 'Alertmanager', url: endpoint, body: alerts, timeoutMs: options.timeoutMs, now, signal, redact });

  const resend = async () => {
    timer = null;
    if (firing.size > 0) {
      const now = options.clock.now();
      try {
        await post([...firing.values()].map(({ notification, alert }) => postableAlert(notification, alert, now, options.resendIntervalMs)), now, stopped.signal);
        report(null);
      } catch (error) {
        report(error as Error);
      }
    }
    if (!stopped.signal.aborted) timer = options.clock.setTimeout(() => void resend(), options.resendIntervalMs);
  };

  return {
    name: options.name,
    kind: 'alertmanager',
    redact,
    get firing() {
      return new Set(firing.keys());
    },
    async send(notification: AlertNotification, context: SendContext) {
      const alerts = notification.alerts.map((a) => postableAlert(notification, a, context.now, options.resendIntervalMs));
      if (alerts.length > 0) await post(alerts, context.now, context.signal);
      remember(notification);
    },
    start(delivered: AlertNotification[], reportResend: (error: Error | null) => void) {
      stopped = new AbortController();
      report = reportResend;
      for (const notification of delivered) remember(notification);
      // At once: alerts that fired before a restart may be close to their endsAt.
      if (timer === null) timer = options.clock.setTimeout(() => void resend(), 0);
    },
    stop() {
      stopped.abort();
      if (timer !== null) options.clock.clearTimeout(timer);
      timer = null;
    },
  };
}
