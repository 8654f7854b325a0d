// The delivery log: one row per notification per channel, written before the first attempt and
// updated after each, in the history database (the same file the metrics store keeps; any
// DatabaseSync handle will do). So a delivery that Vigil could not finish, because the receiver
// was down or because Vigil itself was killed mid-request, is still there when Vigil starts
// again, and is sent then: delivery is at least once (a kill between the receiver's answer and
// the row's update sends it again; the webhook's X-Vigil-Delivery header and PagerDuty's
// dedup_key let receivers tell).
//
// Tables (own names, own version row: the history schema's user_version is the metrics store's):
//   alert_deliveries        one row per delivery; seq orders a channel's deliveries (FIFO);
//                           notification is the AlertNotification as JSON, to send it again
//   alert_delivery_alerts   which alerts a delivery was about (the per-alert log)
//   alert_schema_versions   this part's schema version
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { AlertNotification, ChannelKind, DeliveryRecord, DeliveryState, NotificationReason } from '../../../shared/alerts.ts';

export const DELIVERY_SCHEMA_VERSION = 1;
const COMPONENT = 'alert-deliveries';

const MIGRATIONS: Record<number, string> = {
  1: `
CREATE TABLE IF NOT EXISTS alert_deliveries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  notification_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  kind TEXT NOT NULL,
  reason TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  next_attempt_at INTEGER,
  notification TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_deliveries_open ON alert_deliveries (channel, seq) WHERE state IN ('pending', 'retrying');
CREATE INDEX IF NOT EXISTS alert_deliveries_by_time ON alert_deliveries (created_at);
CREATE TABLE IF NOT EXISTS alert_delivery_alerts (
  alert_id TEXT NOT NULL,
  delivery_seq INTEGER NOT NULL REFERENCES alert_deliveries (seq) ON DELETE CASCADE,
  PRIMARY KEY (alert_id, delivery_seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS alert_delivery_alerts_by_delivery ON alert_delivery_alerts (delivery_seq);
`,
};

/** Brings this part's tables up to date; safe to call on every open, and on a file another part
 * of Vigil has already set up. */
export function migrateDeliveryLog(db: DatabaseSync): void {
  db.exec('CREATE TABLE IF NOT EXISTS alert_schema_versions (component TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM alert_schema_versions WHERE component = ?').get(COMPONENT) as { version: number } | undefined;
  const current = row?.version ?? 0;
  if (current > DELIVERY_SCHEMA_VERSION) {
    throw new Error(`the alert delivery log was written by a newer Vigil (schema ${current}, this one knows ${DELIVERY_SCHEMA_VERSION}): upgrade Vigil`);
  }
  for (let version = current + 1; version <= DELIVERY_SCHEMA_VERSION; version++) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(MIGRATIONS[version]!);
      db.prepare('INSERT INTO alert_schema_versions (component, version) VALUES (?, ?) ON CONFLICT (component) DO UPDATE SET version = excluded.version').run(COMPONENT, version);
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }
}

interface Row {
  seq: number;
  id: string;
  notification_id: string;
  channel: string;
  kind: string;
  reason: string;
  state: string;
  attempts: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
  next_attempt_at: number | null;
  notification: string;
}

/** A delivery as the notifier works on it: the record and the notification to send. */
export interface StoredDelivery {
  seq: number;
  record: DeliveryRecord;
  notification: AlertNotification;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toStored(row: Row): StoredDelivery {
  const notification = JSON.parse(row.notification) as AlertNotification;
  const alertIds = [...new Set(notification.alerts.map((a) => a.id))];
  return {
    seq: row.seq,
    notification,
    record: {
      id: row.id,
      notificationId: row.notification_id,
      channel: row.channel,
      kind: row.kind as ChannelKind,
      reason: row.reason as NotificationReason,
      alertIds,
      state: row.state as DeliveryState,
      attempts: row.attempts,
      lastError: row.last_error,
      createdAt: iso(row.created_at)!,
      sentAt: iso(row.sent_at),
      nextAttemptAt: iso(row.next_attempt_at),
    },
  };
}

export interface DeliveryOutcome {
  state: DeliveryState;
  attempts: number;
  lastError: string | null;
  sentAt: number | null;
  nextAttemptAt: number | null;
}

export class DeliveryLog {
  private readonly db: DatabaseSync;
  private readonly statements: Record<string, StatementSync>;

  constructor(db: DatabaseSync) {
    this.db = db;
    db.exec('PRAGMA foreign_keys = ON');
    migrateDeliveryLog(db);
    const s = (sql: string) => db.prepare(sql);
    this.statements = {
      insert: s(`INSERT INTO alert_deliveries (id, notification_id, channel, kind, reason, state, attempts, created_at, next_attempt_at, notification)
                 VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`),
      insertAlert: s('INSERT OR IGNORE INTO alert_delivery_alerts (alert_id, delivery_seq) VALUES (?, ?)'),
      update: s('UPDATE alert_deliveries SET state = ?, attempts = ?, last_error = ?, sent_at = ?, next_attempt_at = ? WHERE id = ?'),
      byId: s('SELECT * FROM alert_deliveries WHERE id = ?'),
      open: s("SELECT * FROM alert_deliveries WHERE state IN ('pending', 'retrying') ORDER BY seq"),
      forAlert: s('SELECT d.* FROM alert_deliveries d JOIN alert_delivery_alerts a ON a.delivery_seq = d.seq WHERE a.alert_id = ? ORDER BY d.seq'),
      sentTo: s("SELECT * FROM alert_deliveries WHERE channel = ? AND state = 'sent' AND created_at >= ? ORDER BY seq"),
      lastOutcome: s("SELECT state, last_error FROM alert_deliveries WHERE channel = ? AND state IN ('sent', 'failed', 'expired', 'retrying') AND attempts > 0 ORDER BY seq DESC LIMIT 1"),
      queued: s("SELECT COUNT(*) AS n FROM alert_deliveries WHERE channel = ? AND state IN ('pending', 'retrying')"),
      prune: s("DELETE FROM alert_deliveries WHERE created_at < ? AND state NOT IN ('pending', 'retrying')"),
    };
  }

  /** Records a new delivery (state pending) and returns it; committed before this returns. */
  add(id: string, notification: AlertNotification, kind: ChannelKind, now: number): StoredDelivery {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const { lastInsertRowid } = this.statements.insert!.run(id, notification.id, notification.channel, kind, notification.reason, now, now, JSON.stringify(notification));
      const alertIds = [...new Set(notification.alerts.map((a) => a.id))];
      for (const alertId of alertIds) this.statements.insertAlert!.run(alertId, lastInsertRowid);
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
    return this.get(id)!;
  }

  update(id: string, outcome: DeliveryOutcome): StoredDelivery {
    this.statements.update!.run(outcome.state, outcome.attempts, outcome.lastError, outcome.sentAt, outcome.nextAttemptAt, id);
    return this.get(id)!;
  }

  get(id: string): StoredDelivery | null {
    const row = this.statements.byId!.get(id) as Row | undefined;
    return row ? toStored(row) : null;
  }

  /** Deliveries still to be sent (pending or retrying), oldest first. */
  open(): StoredDelivery[] {
    return (this.statements.open!.all() as unknown as Row[]).map(toStored);
  }

  /** Every delivery about an alert, oldest first (its history in the dashboard). */
  forAlert(alertId: string): DeliveryRecord[] {
    return (this.statements.forAlert!.all(alertId) as unknown as Row[]).map((r) => toStored(r).record);
  }

  /** Notifications a channel took since `since`, oldest first (Alertmanager's firing set). */
  sentTo(channel: string, since: number): AlertNotification[] {
    return (this.statements.sentTo!.all(channel, since) as unknown as Row[]).map((r) => JSON.parse(r.notification) as AlertNotification);
  }

  /** The channel's last finished attempt: ok, and the error if not. */
  lastOutcome(channel: string): { ok: boolean; lastError: string | null } | null {
    const row = this.statements.lastOutcome!.get(channel) as { state: string; last_error: string | null } | undefined;
    return row ? { ok: row.state === 'sent', lastError: row.state === 'sent' ? null : row.last_error } : null;
  }

  queued(channel: string): number {
    return (this.statements.queued!.get(channel) as { n: number }).n;
  }

  /** Drops finished deliveries created before `before`; open ones stay whatever their age. */
  prune(before: number): number {
    return Number(this.statements.prune!.run(before).changes);
  }
}
