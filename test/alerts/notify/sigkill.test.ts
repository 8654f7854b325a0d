// A SIGKILL of the engine in the middle of deliveries loses none: a real child process enqueues
// notifications while its receiver holds the first request open, is killed, and a new notifier
// on the same history file delivers every notification the child had enqueued.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { webhookChannel } from '../../../src/core/alerts/channels/webhook.ts';
import { Notifier } from '../../../src/core/alerts/notify/notifier.ts';
import { openHistoryDatabase } from '../../../src/core/metrics/store/history-schema.ts';
import { KILL_CHANNEL } from '../../fixtures/alert-delivery-child.ts';
import { type Receiver, startReceiver } from '../../fixtures/alert-receivers.ts';
import { tempDir } from '../../helpers/temp-files.ts';
import { waitUntil } from '../wait-until.ts';

const CHILD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/alert-delivery-child.ts');

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function receiver(answer?: Receiver['answer']): Promise<Receiver> {
  const r = await startReceiver(answer);
  cleanups.push(r.close);
  return r;
}

/** Runs the child until its first delivery is in flight and it has enqueued `atLeast`
 * notifications, then SIGKILLs it; the ids it reported as enqueued. */
function runAndKill(file: string, url: string, inFlight: () => boolean, atLeast: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, file, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    const enqueued: string[] = [];
    let stderr = '';
    let buffered = '';
    let killed = false;
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      buffered += d;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const m = /^enqueued (\S+)$/.exec(line);
        if (m) enqueued.push(m[1]!);
      }
      if (!killed && inFlight() && enqueued.length >= atLeast) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(enqueued) : reject(new Error(`the child exited by itself (${code}): ${stderr}`))));
  });
}

test('SIGKILL mid-delivery: every notification enqueued before the kill is delivered after the restart, in order', async () => {
  const file = path.join(tempDir(), 'history.db');
  const hanging = await receiver(() => ({ status: 200, hang: true }));
  const enqueued = await runAndKill(file, hanging.url, () => hanging.requests.length >= 1, 8);
  expect(enqueued.length).toBeGreaterThanOrEqual(8);
  // The first delivery reached the receiver and got no answer: it was in flight at the kill.
  expect((hanging.requests[0]!.json as { notificationId: string }).notificationId).toBe('kill-0');

  const raw = new DatabaseSync(file);
  expect(raw.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
  raw.close();

  const back = await receiver();
  const db = openHistoryDatabase(file);
  cleanups.push(() => db.close());
  const notifier = new Notifier({ db, channels: [{ channel: webhookChannel({ name: KILL_CHANNEL, url: back.url, signingKey: null, timeoutMs: 5000 }), minSeverity: 'info', expireAfterMs: 3_600_000, missingSecret: null }] });
  cleanups.push(() => notifier.stop());
  notifier.start();
  await back.waitFor(enqueued.length);
  await waitUntil(() => notifier.status()[0]!.queued === 0, 'the resumed queue to empty');
  const delivered = back.requests.map((r) => (r.json as { notificationId: string }).notificationId);
  // Every reported one, in order; maybe one more that was committed just before the kill but not
  // yet reported.
  expect(delivered.slice(0, enqueued.length)).toEqual(enqueued);
  expect(delivered.length - enqueued.length).toBeLessThanOrEqual(1);
  expect(new Set(delivered).size).toBe(delivered.length);
  for (const id of delivered) {
    const alertId = id.replace('kill-', 'alert-');
    expect(notifier.deliveriesFor(alertId).map((r) => r.state)).toEqual(['sent']);
  }
});
