// What every channel kind is to the notifier (notify/notifier.ts): a named thing that sends one
// notification and says, by throwing a DeliveryError, whether a failure is worth another try.
// One file per kind beside this one builds its payload (a pure function, tested against the
// vendor's documented shape) and sends it.
import type { AlertNotification, ChannelKind } from '../../../shared/alerts.ts';

export interface SendContext {
  /** The delivery's id: receivers that deduplicate retries get it (the webhook's header). */
  deliveryId: string;
  /** Now, from the notifier's clock (timestamps, signatures, Alertmanager's endsAt). */
  now: number;
  /** Aborted when Vigil stops. */
  signal: AbortSignal;
}

export interface AlertChannel {
  readonly name: string;
  readonly kind: ChannelKind;
  /** Resolves when the receiver accepted the notification; throws a DeliveryError otherwise. */
  send(notification: AlertNotification, context: SendContext): Promise<void>;
  /** Removes this channel's secrets from a text (errors from its libraries, receivers' answers). */
  redact(text: string): string;
  /** For a channel that keeps state between notifications (Alertmanager re-sends what is
   * firing): started with the notifications it delivered before a restart, oldest first, and a
   * way to report how its background work goes (null: fine again). */
  start?(delivered: AlertNotification[], report: (error: Error | null) => void): void;
  stop?(): void;
}
