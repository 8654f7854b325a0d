// The notifier against real receivers on loopback and a real history file, with time on a manual
// clock: a minute of downtime passes without waiting, and what is asserted is order and counts,
// never how long anything took.
import path from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { afterEach, expect, test } from 'vitest';
import { createChannels } from '../../../src/core/alerts/channels/create-channel.ts';
import { webhookChannel } from '../../../src/core/alerts/channels/webhook.ts';
import { resolveAlertChannels } from '../../../src/core/alerts/config/channels-config.ts';
import { Notifier, type NotifierChannel } from '../../../src/core/alerts/notify/notifier.ts';
import { openHistoryDatabase } from '../../../src/core/metrics/store/history-schema.ts';
import type { DeliveryRecord } from '../../../src/shared/alerts.ts';
import { type Receiver, startReceiver } from '../../fixtures/alert-receivers.ts';
import { type ManualClock, manualClock } from '../../helpers/manual-clock.ts';
import { tempDir } from '../../helpers/temp-files.ts';
import { sampleAlert, sampleNotification } from '../alert-samples.ts';
import { waitUntil } from '../wait-until.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const T0 = Date.UTC(2026, 3, 1, 12);

async function receiver(answer?: Receiver['answer']): Promise<Receiver> {
  const r = await startReceiver(answer);
  cleanups.push(r.close);
  return r;
}

function historyDb(file = path.join(tempDir(), 'history.db')): { db: DatabaseSync; file: string } {
  const db = openHistoryDatabase(file);
  cleanups.push(() => {
    if (db.isOpen) db.close();
  });
  return { db, file };
}

const hook = (name: string, url: string, expireAfterMs = 6 * 3_600_000): NotifierChannel => ({
  channel: webhookChannel({ name, url, signingKey: null, timeoutMs: 5000 }),
  minSeverity: 'info',
  expireAfterMs,
  missingSecret: null,
});

function notifier(db: DatabaseSync, channels: NotifierChannel[], clock: ManualClock, seen: DeliveryRecord[] = []): Notifier {
  const n = new Notifier({ db, channels, clock, retry: { initialDelayMs: 1000, maxDelayMs: 10_000 }, onDelivery: (r) => seen.push(r) });
  cleanups.push(() => n.stop());
  n.start();
  return n;
}

const accepted = (r: Receiver) => r.requests.filter((q) => (q.json as { accepted?: boolean } | null)?.accepted !== false);
const idsOf = (requests: Receiver['requests']) => requests.map((q) => (q.json as { notificationId: string }).notificationId);

/** Moves the clock on a second at a time, letting each attempt finish, until `done`. */
async function runUntil(clock: ManualClock, done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 10_000 && !done(); i++) {
    await waitUntil(() => clock.pending > 0 || done(), what);
    if (!done()) clock.advance(1000);
  }
  if (!done()) throw new Error(`never happened: ${what}`);
}

test('a channel down for a minute gets every notification once back, in order, once each; the other was not held up', async () => {
  const clock = manualClock(T0);
  const downUntil = T0 + 60_000;
  const healthy = await receiver();
  const got: string[] = [];
  const broken = await receiver((req) => {
    if (clock.now() < downUntil) return { status: 503, body: 'maintenance' };
    got.push((req.json as { notificationId: string }).notificationId);
    return { status: 200, body: 'ok' };
  });
  const { db } = historyDb();
  const seen: DeliveryRecord[] = [];
  const n = notifier(db, [hook('healthy', healthy.url), hook('broken', broken.url)], clock, seen);

  const sent = [1, 2, 3].map(() => {
    const alert = sampleAlert();
    return { healthy: n.enqueue(sampleNotification('healthy', [alert]))!, broken: n.enqueue(sampleNotification('broken', [alert]))! };
  });
  // The healthy channel gets all three while the clock has not moved: before the broken one
  // could possibly have come back.
  await healthy.waitFor(3);
  expect(idsOf(healthy.requests)).toEqual(sent.map((s) => s.healthy.notificationId));
  expect(got).toEqual([]);
  expect(broken.requests.length).toBeGreaterThanOrEqual(1);

  await runUntil(clock, () => got.length === 3 && clock.pending === 0 && n.status().find((s) => s.name === 'broken')!.queued === 0, 'the broken channel to catch up');
  expect(got).toEqual(sent.map((s) => s.broken.notificationId));
  // Retried while down: more attempts than deliveries, each refused with the receiver's words.
  expect(broken.requests.length).toBeGreaterThan(3);
  const finals = n.deliveriesFor(sent[0]!.broken.alertIds[0]!);
  expect(finals.map((r) => [r.channel, r.state])).toEqual([
    ['healthy', 'sent'],
    ['broken', 'sent'],
  ]);
  const brokenFirst = finals[1]!;
  expect(brokenFirst.attempts).toBeGreaterThan(1);
  expect(Date.parse(brokenFirst.sentAt!)).toBeGreaterThanOrEqual(downUntil);
  expect(Date.parse(finals[0]!.sentAt!)).toBe(T0);
  expect(seen.some((r) => r.channel === 'broken' && r.state === 'retrying' && r.lastError?.includes('maintenance'))).toBe(true);
  expect(n.status()).toEqual([
    { name: 'healthy', kind: 'webhook', ok: true, lastError: null, queued: 0, missingSecret: null },
    { name: 'broken', kind: 'webhook', ok: true, lastError: null, queued: 0, missingSecret: null },
  ]);
});

test('a 429 waits as long as Retry-After asks, not less', async () => {
  const clock = manualClock(T0);
  let calls = 0;
  const slow = await receiver(() => (++calls === 1 ? { status: 429, headers: { 'retry-after': '30' }, body: 'rate limited' } : { status: 200, body: 'ok' }));
  const { db } = historyDb();
  const seen: DeliveryRecord[] = [];
  const n = notifier(db, [hook('slow', slow.url)], clock, seen);
  const record = n.enqueue(sampleNotification('slow'))!;
  await waitUntil(() => seen.some((r) => r.state === 'retrying'), 'the retry');
  const retrying = seen.find((r) => r.state === 'retrying')!;
  expect(Date.parse(retrying.nextAttemptAt!) - T0).toBe(30_000);
  clock.advance(29_999);
  expect(slow.requests).toHaveLength(1);
  clock.advance(1);
  await slow.waitFor(2);
  await waitUntil(() => n.deliveriesFor(record.alertIds[0]!)[0]!.state === 'sent', 'the delivery');
});

test('a 4xx fails that delivery at once with the receiver\'s words; the queue moves on', async () => {
  const clock = manualClock(T0);
  const answers = [{ status: 400, body: '{"error":"invalid_payload"}' }, { status: 200, body: 'ok' }];
  const picky = await receiver(() => answers.shift()!);
  const { db } = historyDb();
  const n = notifier(db, [hook('picky', picky.url)], clock);
  const first = n.enqueue(sampleNotification('picky'))!;
  const second = n.enqueue(sampleNotification('picky'))!;
  await picky.waitFor(2);
  await waitUntil(() => n.status()[0]!.queued === 0, 'the queue to empty');
  const [a] = n.deliveriesFor(first.alertIds[0]!);
  const [b] = n.deliveriesFor(second.alertIds[0]!);
  expect([a!.state, a!.attempts, b!.state]).toEqual(['failed', 1, 'sent']);
  expect(a!.lastError).toMatch(/refused \(400\): \{"error":"invalid_payload"\}/);
  expect(clock.pending).toBe(0);
});

test('what cannot be delivered within expire_after is marked expired, with the last error; never dropped', async () => {
  const clock = manualClock(T0);
  const down = await receiver(() => ({ status: 502, body: 'bad gateway' }));
  const { db } = historyDb();
  const n = notifier(db, [hook('down', down.url, 10 * 60_000)], clock);
  const records = [n.enqueue(sampleNotification('down'))!, n.enqueue(sampleNotification('down'))!];
  await runUntil(clock, () => n.status()[0]!.queued === 0, 'the deliveries to expire');
  for (const r of records) {
    const [final] = n.deliveriesFor(r.alertIds[0]!);
    expect(final!.state).toBe('expired');
    expect(final!.lastError).toMatch(/^not delivered within 10 min/);
  }
  const first = n.deliveriesFor(records[0]!.alertIds[0]!)[0]!;
  expect(first.lastError).toContain('bad gateway');
  expect(n.status()[0]).toMatchObject({ ok: false, queued: 0 });
});

test('a channel without its secret: each delivery fails at once saying which variable to set', async () => {
  const clock = manualClock(T0);
  const { db } = historyDb();
  const channels = createChannels(resolveAlertChannels([{ name: 'team', kind: 'slack' }]), { env: {}, clock });
  const n = notifier(db, channels, clock);
  const record = n.enqueue(sampleNotification('team'))!;
  expect(record.state).toBe('failed');
  expect(record.lastError).toBe("SLACK_WEBHOOK_URL is not set: set it in Vigil's environment (or the app's key store) and restart Vigil");
  expect(n.status()[0]).toMatchObject({ missingSecret: 'SLACK_WEBHOOK_URL' });
  expect((await n.sendTest('team', 'http://127.0.0.1:7357/')).state).toBe('failed');
  expect(() => n.enqueue(sampleNotification('nobody'))).toThrow('no alert channel named "nobody"');
});

test('the severity filter keeps what is severe enough, and nothing else', async () => {
  const clock = manualClock(T0);
  const r = await receiver();
  const { db } = historyDb();
  const n = notifier(db, [{ ...hook('serious', r.url), minSeverity: 'warning' }], clock);
  expect(n.enqueue(sampleNotification('serious', [sampleAlert({ severity: 'info' })]))).toBeNull();
  const mixed = [sampleAlert({ severity: 'info' }), sampleAlert({ severity: 'critical', service: 'db' })];
  const record = n.enqueue(sampleNotification('serious', mixed))!;
  expect(record.alertIds).toEqual([mixed[1]!.id]);
  const [req] = await r.waitFor(1);
  expect((req!.json as { alerts: Array<{ id: string }> }).alerts.map((a) => a.id)).toEqual([mixed[1]!.id]);
});

test('"Send test notification": one attempt now, its outcome returned and logged', async () => {
  const clock = manualClock(T0);
  const ok = await receiver();
  const refusing = await receiver(() => ({ status: 403, body: 'action_prohibited' }));
  const { db } = historyDb();
  const n = notifier(db, [hook('ok', ok.url), hook('refusing', refusing.url)], clock);
  const good = await n.sendTest('ok', 'http://127.0.0.1:7357/');
  expect(good).toMatchObject({ channel: 'ok', kind: 'webhook', reason: 'test', state: 'sent', attempts: 1, lastError: null });
  const [req] = await ok.waitFor(1);
  expect((req!.json as { reason: string; title: string }).title).toBe('[TEST] Test notification from Vigil to the channel "ok"');
  const bad = await n.sendTest('refusing', 'http://127.0.0.1:7357/');
  expect(bad).toMatchObject({ state: 'failed', attempts: 1 });
  expect(bad.lastError).toContain('action_prohibited');
  expect(n.deliveriesFor(good.alertIds[0]!)).toEqual([good]);
});

test('a restart of Vigil resumes what it had not delivered, on the same history file', async () => {
  const clock = manualClock(T0);
  const r = await receiver();
  const url = r.url;
  await r.close(); // down: connection refused
  const { db, file } = historyDb();
  const first = notifier(db, [hook('later', url)], clock);
  const records = [first.enqueue(sampleNotification('later'))!, first.enqueue(sampleNotification('later'))!];
  await waitUntil(() => clock.pending > 0, 'a retry to be scheduled');
  await first.stop();
  db.close();

  // The receiver comes back on the same port; Vigil starts again.
  const back = await startReceiver(undefined, Number(new URL(url).port));
  cleanups.push(back.close);
  const reopened = openHistoryDatabase(file);
  cleanups.push(() => reopened.close());
  const second = notifier(reopened, [hook('later', url)], clock);
  expect(second.status()[0]!.queued).toBe(2);
  await runUntil(clock, () => back.requests.length === 2, 'the resumed deliveries');
  expect(idsOf(back.requests)).toEqual(records.map((x) => x.notificationId));
  await waitUntil(() => second.status()[0]!.queued === 0, 'the queue to empty');
  expect(records.map((x) => second.deliveriesFor(x.alertIds[0]!)[0]!.state)).toEqual(['sent', 'sent']);
  expect(accepted(back)).toHaveLength(2);
});
