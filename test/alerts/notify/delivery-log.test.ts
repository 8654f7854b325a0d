// The delivery log's tables live in the history file beside the metrics store's: its migration
// runs on every open without disturbing them, and a file from a newer Vigil is refused.
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { DELIVERY_SCHEMA_VERSION, DeliveryLog } from '../../../src/core/alerts/notify/delivery-log.ts';
import { openHistoryDatabase } from '../../../src/core/metrics/store/history-schema.ts';
import { MetricStore } from '../../../src/core/metrics/store/metric-store.ts';
import { tempDir } from '../../helpers/temp-files.ts';
import { sampleAlert, sampleNotification } from '../alert-samples.ts';

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0).reverse()) close();
});

test('one history file: the metrics store and the delivery log, each opened again and again', () => {
  const file = path.join(tempDir(), 'history.db');
  const store = MetricStore.open(file, { now: () => Date.UTC(2026, 3, 1) });
  store.close();
  for (let round = 0; round < 3; round++) {
    const db = openHistoryDatabase(file);
    const log = new DeliveryLog(db);
    const alert = sampleAlert();
    log.add(`d-${round}`, sampleNotification('hook', [alert]), 'webhook', Date.UTC(2026, 3, 1));
    expect(log.forAlert(alert.id).map((r) => r.id)).toEqual([`d-${round}`]);
    expect(log.open()).toHaveLength(round + 1);
    expect(db.prepare("SELECT version FROM alert_schema_versions WHERE component = 'alert-deliveries'").get()).toEqual({ version: DELIVERY_SCHEMA_VERSION });
    db.close();
  }
  const again = MetricStore.open(file, { now: () => Date.UTC(2026, 3, 1) });
  again.close();
});

test('finished deliveries are pruned by age; open ones stay whatever their age', () => {
  const db = openHistoryDatabase(path.join(tempDir(), 'history.db'));
  closers.push(() => db.close());
  const log = new DeliveryLog(db);
  log.add('old-sent', sampleNotification('hook'), 'webhook', 1000);
  log.add('old-open', sampleNotification('hook'), 'webhook', 1000);
  log.update('old-sent', { state: 'sent', attempts: 1, lastError: null, sentAt: 1000, nextAttemptAt: null });
  expect(log.prune(2000)).toBe(1);
  expect(log.get('old-sent')).toBeNull();
  expect(log.get('old-open')!.record.state).toBe('pending');
});

test('a log written by a newer Vigil is refused, saying so', () => {
  const db = openHistoryDatabase(path.join(tempDir(), 'history.db'));
  closers.push(() => db.close());
  new DeliveryLog(db);
  db.prepare("UPDATE alert_schema_versions SET version = 99 WHERE component = 'alert-deliveries'").run();
  expect(() => new DeliveryLog(db)).toThrow('the alert delivery log was written by a newer Vigil (schema 99, this one knows 1): upgrade Vigil');
});
