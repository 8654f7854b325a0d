// A generic webhook: Vigil's own JSON body (documented in the README, "Alert webhooks"), signed
// when the channel has a key, so a receiver can tell the request came from this Vigil and is not
// a replay:
//   X-Vigil-Timestamp: <unix seconds when this attempt was sent>
//   X-Vigil-Signature: v1=<hex HMAC-SHA256(key, "<timestamp>.<raw body>")>
// The receiver recomputes the HMAC over the raw bytes it got, compares in constant time, and
// refuses a timestamp more than 5 minutes from its clock. The scheme is the one Stripe and Slack
// use for their own webhooks (timestamp in the signed text, so an old request cannot be replayed
// with a new timestamp). X-Vigil-Delivery names the delivery: retries of it carry the same id.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Alert, AlertNotification } from '../../../shared/alerts.ts';
import { secretRedactor } from '../notify/redact.ts';
import { alertUrl, notificationTitle } from './alert-text.ts';
import type { AlertChannel, SendContext } from './channel.ts';
import { postJson } from './http-post.ts';

export const WEBHOOK_BODY_VERSION = 1;
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

export interface WebhookBody {
  version: typeof WEBHOOK_BODY_VERSION;
  deliveryId: string;
  notificationId: string;
  channel: string;
  reason: AlertNotification['reason'];
  groupKey: string;
  title: string;
  createdAt: string;
  dashboardUrl: string;
  alerts: Array<Alert & { url: string }>;
}

export function webhookBody(notification: AlertNotification, deliveryId: string): WebhookBody {
  return {
    version: WEBHOOK_BODY_VERSION,
    deliveryId,
    notificationId: notification.id,
    channel: notification.channel,
    reason: notification.reason,
    groupKey: notification.groupKey,
    title: notificationTitle(notification),
    createdAt: notification.createdAt,
    dashboardUrl: notification.dashboardUrl,
    alerts: notification.alerts.map((a) => ({ ...a, url: alertUrl(notification, a) })),
  };
}

/** The X-Vigil-Signature value for a body sent at `timestampSeconds`. */
export function webhookSignature(key: string, timestampSeconds: number, rawBody: string): string {
  return `v1=${createHmac('sha256', key).update(`${timestampSeconds}.${rawBody}`).digest('hex')}`;
}

/** A receiver's check, for Vigil's own tools and the README's example: the signature matches and
 * the timestamp is within the tolerance of `now`. */
export function verifyWebhookSignature(key: string, headers: { timestamp?: string | null; signature?: string | null }, rawBody: string, now: number): boolean {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(ts) || Math.abs(now - ts * 1000) > SIGNATURE_TOLERANCE_MS) return false;
  const expected = Buffer.from(webhookSignature(key, ts, rawBody));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface WebhookChannelOptions {
  name: string;
  url: string;
  /** The HMAC key; null: bodies are not signed. */
  signingKey: string | null;
  timeoutMs: number;
}

export function webhookChannel(options: WebhookChannelOptions): AlertChannel {
  const redact = secretRedactor([options.url, options.signingKey]);
  return {
    name: options.name,
    kind: 'webhook',
    redact,
    async send(notification: AlertNotification, context: SendContext) {
      const raw = JSON.stringify(webhookBody(notification, context.deliveryId));
      const headers: Record<string, string> = { 'x-vigil-delivery': context.deliveryId };
      if (options.signingKey) {
        // Signed at each attempt: a retry an hour later carries a fresh timestamp.
        const ts = Math.floor(context.now / 1000);
        headers['x-vigil-timestamp'] = String(ts);
        headers['x-vigil-signature'] = webhookSignature(options.signingKey, ts, raw);
      }
      await postJson({ receiver: 'the webhook', url: options.url, body: raw, headers, timeoutMs: options.timeoutMs, now: context.now, signal: context.signal, redact });
    },
  };
}
