// Delivers notifications to their channels, and keeps the log of it (delivery-log.ts).
//
// - enqueue() writes the delivery to the log (committed) before anything is sent, and returns at
//   once: sending happens in the background.
// - Each channel has its own queue, worked in order (a resolve never overtakes its trigger), so
//   a channel that is down holds back only its own deliveries, never another channel's.
// - A failed attempt is retried with exponential backoff and decorrelated jitter (cockatiel's
//   ExponentialBackoff), per channel: the channel is what is down, and a working attempt resets
//   it. A receiver's Retry-After is honoured when it asks for longer. A refusal (a 4xx other than
//   429, an SMTP 5xx) fails that delivery at once, with the receiver's words, and the queue moves
//   on.
// - A delivery that could not be made within its channel's expire_after is marked expired, never
//   dropped silently; at start, every delivery left pending or retrying by the last run (a
//   crash, a SIGKILL, a receiver that was down) is queued again.
// Time comes from the injected clock, so tests drive a minute of downtime without waiting.
import { randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { ExponentialBackoff, type IBackoff } from 'cockatiel';
import type { Alert, AlertNotification, AlertSeverity, ChannelStatus, DeliveryRecord } from '../../../shared/alerts.ts';
import { type Clock, realClock } from '../../kit/clock.ts';
import type { AlertChannel } from '../channels/channel.ts';
import { asDeliveryError } from './delivery-error.ts';
import { DeliveryLog, type DeliveryOutcome, type StoredDelivery } from './delivery-log.ts';

/** A channel as the notifier runs it: the channel and the user's settings for it. */
export interface NotifierChannel {
  channel: AlertChannel;
  /** The least severe alert it is sent. */
  minSeverity: AlertSeverity;
  /** After this long undelivered, a delivery is marked expired. */
  expireAfterMs: number;
  /** The environment variable it needs and lacks (named, never its value); deliveries to it fail
   * at once, saying so. */
  missingSecret: string | null;
}

export interface RetrySettings {
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetrySettings = { initialDelayMs: 1_000, maxDelayMs: 5 * 60_000 };
/** Finished deliveries are kept this long (the alert history's delivery log). */
export const DELIVERY_RETENTION_MS = 30 * 24 * 3_600_000;
/** Alertmanager's firing set is rebuilt from what was delivered within this window. */
const RESTORE_WINDOW_MS = 7 * 24 * 3_600_000;

export interface NotifierOptions {
  /** The history database (node:sqlite); the notifier creates its own tables in it. */
  db: DatabaseSync;
  channels: NotifierChannel[];
  clock?: Clock;
  retry?: RetrySettings;
  /** Every change of a delivery (for events and the live stream); messages are redacted. */
  onDelivery?(record: DeliveryRecord): void;
}

const RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

class ChannelQueue {
  readonly items: StoredDelivery[] = [];
  backoff: IBackoff<unknown> | null = null;
  timer: unknown = null;
  running: Promise<void> | null = null;
  /** The last attempt's outcome, and the background work's (Alertmanager's re-sends). */
  last: { ok: boolean; lastError: string | null } | null = null;
  background: Error | null = null;
  readonly spec: NotifierChannel;
  constructor(spec: NotifierChannel) {
    this.spec = spec;
  }
}

export class Notifier {
  private readonly log: DeliveryLog;
  private readonly clock: Clock;
  private readonly retry: RetrySettings;
  private readonly onDelivery: (record: DeliveryRecord) => void;
  private queues = new Map<string, ChannelQueue>();
  private stopping = new AbortController();
  private started = false;

  constructor(options: NotifierOptions) {
    this.log = new DeliveryLog(options.db);
    this.clock = options.clock ?? realClock;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.onDelivery = options.onDelivery ?? (() => {});
    for (const spec of options.channels) this.queues.set(spec.channel.name, new ChannelQueue(spec));
  }

  /** Resumes what the last run left undelivered and starts the channels' background work. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopping = new AbortController();
    const now = this.clock.now();
    this.log.prune(now - DELIVERY_RETENTION_MS);
    for (const stored of this.log.open()) {
      const queue = this.queues.get(stored.record.channel);
      if (queue) queue.items.push(stored);
      else this.finish(stored, { state: 'expired', lastError: `the channel "${stored.record.channel}" is no longer in the stack file` });
    }
    for (const queue of this.queues.values()) {
      queue.last = this.log.lastOutcome(queue.spec.channel.name);
      queue.spec.channel.start?.(this.log.sentTo(queue.spec.channel.name, now - RESTORE_WINDOW_MS), (error) => {
        queue.background = error;
      });
      this.kick(queue);
    }
  }

  /** Records a notification for its channel and sends it in the background. Returns the
   * delivery, or null when none of its alerts is severe enough for the channel. Throws for a
   * channel that does not exist. */
  enqueue(notification: AlertNotification): DeliveryRecord | null {
    const queue = this.queues.get(notification.channel);
    if (!queue) throw new Error(`no alert channel named "${notification.channel}"`);
    const alerts = notification.alerts.filter((a: Alert) => RANK[a.severity] >= RANK[queue.spec.minSeverity]);
    if (alerts.length === 0) return null;
    const kept = alerts.length === notification.alerts.length ? notification : { ...notification, alerts };
    const stored = this.log.add(randomUUID(), kept, queue.spec.channel.kind, this.clock.now());
    this.onDelivery(stored.record);
    if (queue.spec.missingSecret) {
      this.finish(stored, { state: 'failed', lastError: missingSecretMessage(queue.spec.missingSecret) });
      return this.log.get(stored.record.id)!.record;
    }
    queue.items.push(stored);
    this.kick(queue);
    return stored.record;
  }

  /** "Send test notification": one attempt now, outside the queue (the user is waiting for the
   * answer, and a test must not wait behind real deliveries), logged like any delivery. */
  async sendTest(channelName: string, dashboardUrl: string): Promise<DeliveryRecord> {
    const queue = this.queues.get(channelName);
    if (!queue) throw new Error(`no alert channel named "${channelName}"`);
    const stored = this.log.add(randomUUID(), testNotification(channelName, dashboardUrl, this.clock.now()), queue.spec.channel.kind, this.clock.now());
    if (queue.spec.missingSecret) return this.finish(stored, { state: 'failed', lastError: missingSecretMessage(queue.spec.missingSecret) });
    try {
      await queue.spec.channel.send(stored.notification, { deliveryId: stored.record.id, now: this.clock.now(), signal: this.stopping.signal });
      return this.finish(stored, { state: 'sent', lastError: null });
    } catch (error) {
      return this.finish(stored, { state: 'failed', lastError: asDeliveryError(error, queue.spec.channel.redact).message });
    }
  }

  /** Every delivery about an alert, oldest first. */
  deliveriesFor(alertId: string): DeliveryRecord[] {
    return this.log.forAlert(alertId);
  }

  status(): ChannelStatus[] {
    return [...this.queues.values()].map((q) => {
      const background = q.background ? q.spec.channel.redact(q.background.message) : null;
      return {
        name: q.spec.channel.name,
        kind: q.spec.channel.kind,
        ok: background ? false : (q.last?.ok ?? null),
        lastError: background ?? q.last?.lastError ?? null,
        queued: q.items.length,
        missingSecret: q.spec.missingSecret,
      };
    });
  }

  /** Stops sending: timers cleared, requests in flight aborted and awaited. Undelivered
   * deliveries stay in the log for the next start. */
  async stop(): Promise<void> {
    this.started = false;
    this.stopping.abort();
    const running: Array<Promise<void>> = [];
    for (const queue of this.queues.values()) {
      if (queue.timer !== null) this.clock.clearTimeout(queue.timer);
      queue.timer = null;
      if (queue.running) running.push(queue.running);
      queue.spec.channel.stop?.();
    }
    await Promise.all(running);
  }

  private kick(queue: ChannelQueue): void {
    if (!this.started || queue.running || this.stopping.signal.aborted) return;
    if (queue.timer !== null) {
      this.clock.clearTimeout(queue.timer);
      queue.timer = null;
    }
    queue.running = this.drain(queue).finally(() => {
      queue.running = null;
      // A delivery enqueued while the last turn was finishing.
      if (queue.timer === null && queue.items.length > 0) this.kick(queue);
    });
  }

  /** Works the channel's queue in order until it is empty or must wait. */
  private async drain(queue: ChannelQueue): Promise<void> {
    const { channel, expireAfterMs } = queue.spec;
    while (queue.items.length > 0 && !this.stopping.signal.aborted) {
      const now = this.clock.now();
      // Anything past its limit expires, wherever it is in the queue.
      for (const stored of queue.items.filter((s) => now - Date.parse(s.record.createdAt) >= expireAfterMs)) {
        queue.items.splice(queue.items.indexOf(stored), 1);
        this.finish(stored, { state: 'expired', lastError: `not delivered within ${Math.round(expireAfterMs / 60_000)} min${stored.record.lastError ? ` (last error: ${stored.record.lastError})` : ''}` });
      }
      const head = queue.items[0];
      if (!head) break;
      const due = head.record.nextAttemptAt ? Date.parse(head.record.nextAttemptAt) : now;
      if (due > now) {
        const oldest = Math.min(...queue.items.map((s) => Date.parse(s.record.createdAt)));
        const wakeAt = Math.min(due, oldest + expireAfterMs);
        queue.timer = this.clock.setTimeout(() => {
          queue.timer = null;
          this.kick(queue);
        }, wakeAt - now);
        return;
      }
      const attempts = head.record.attempts + 1;
      try {
        await channel.send(head.notification, { deliveryId: head.record.id, now, signal: this.stopping.signal });
        queue.items.shift();
        queue.backoff = null;
        queue.last = { ok: true, lastError: null };
        this.finish(head, { state: 'sent', attempts, lastError: null });
      } catch (thrown) {
        // Vigil is stopping: the row stays as it was, and the next start sends it.
        if (this.stopping.signal.aborted) return;
        const error = asDeliveryError(thrown, channel.redact);
        queue.last = { ok: false, lastError: error.message };
        if (!error.retryable) {
          queue.items.shift();
          this.finish(head, { state: 'failed', attempts, lastError: error.message });
          continue;
        }
        queue.backoff = (queue.backoff ?? new ExponentialBackoff({ initialDelay: this.retry.initialDelayMs, maxDelay: this.retry.maxDelayMs })).next(undefined);
        const delay = Math.max(queue.backoff.duration, error.retryAfterMs ?? 0);
        const after = this.clock.now();
        queue.items[0] = this.save(head, { state: 'retrying', attempts, lastError: error.message, sentAt: null, nextAttemptAt: after + delay });
      }
    }
  }

  private save(stored: StoredDelivery, outcome: DeliveryOutcome): StoredDelivery {
    const updated = this.log.update(stored.record.id, outcome);
    this.onDelivery(updated.record);
    return updated;
  }

  private finish(stored: StoredDelivery, outcome: Pick<DeliveryOutcome, 'state' | 'lastError'> & { attempts?: number }): DeliveryRecord {
    const now = this.clock.now();
    return this.save(stored, {
      state: outcome.state,
      attempts: outcome.attempts ?? stored.record.attempts + (outcome.state === 'sent' || outcome.state === 'failed' ? 1 : 0),
      lastError: outcome.lastError,
      sentAt: outcome.state === 'sent' ? now : null,
      nextAttemptAt: null,
    }).record;
  }
}

function missingSecretMessage(env: string): string {
  return `${env} is not set: set it in Vigil's environment (or the app's key store) and restart Vigil`;
}

/** The notification "Send test notification" sends: one info alert, clearly a test. */
export function testNotification(channel: string, dashboardUrl: string, now: number): AlertNotification {
  const at = new Date(now).toISOString();
  const fingerprint = `vigil-test-${channel}`;
  const alert: Alert = {
    id: `${fingerprint}-${now}`,
    fingerprint,
    rule: 'vigil-test',
    labels: { alertname: 'vigil-test', channel },
    severity: 'info',
    state: 'firing',
    summary: `Test notification from Vigil to the channel "${channel}"`,
    details: { facts: { Note: 'Sent from "Send test notification"; nothing is wrong.' } },
    link: '#/alerts',
    activeSince: at,
    firingSince: at,
    resolvedAt: null,
    updatedAt: at,
    acknowledged: null,
    silencedBy: [],
    inhibitedBy: null,
    flapping: false,
  };
  return { id: randomUUID(), channel, reason: 'test', groupKey: fingerprint, alerts: [alert], dashboardUrl, createdAt: at };
}
