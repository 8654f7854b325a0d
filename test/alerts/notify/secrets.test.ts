// Channel secrets never leave Vigil's memory except towards their receiver: not in delivery
// records, errors, channel status, the history file, nor anything written to the console, even
// when every receiver echoes the request back in its refusal (as the Fly token tests do, with a
// canary value searched for everywhere).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { createChannels } from '../../../src/core/alerts/channels/create-channel.ts';
import { resolveAlertChannels } from '../../../src/core/alerts/config/channels-config.ts';
import { Notifier } from '../../../src/core/alerts/notify/notifier.ts';
import { realClock } from '../../../src/core/kit/clock.ts';
import { openHistoryDatabase } from '../../../src/core/metrics/store/history-schema.ts';
import type { DeliveryRecord } from '../../../src/shared/alerts.ts';
import { type Receiver, startReceiver } from '../../fixtures/alert-receivers.ts';
import { tempDir } from '../../helpers/temp-files.ts';
import { sampleAlert, sampleNotification } from '../alert-samples.ts';
import { waitUntil } from '../wait-until.ts';

const CANARY = 'canary5e1f0e9d';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

test('no channel secret reaches a record, an error, the status, the history file or the console', async () => {
  // Every receiver refuses with the whole request echoed back: path, headers and body.
  const echo: Receiver['answer'] = (req) => ({ status: 400, body: `refused ${req.method} ${req.path} ${JSON.stringify(req.headers)} ${req.raw}` });
  const receiver = await startReceiver(echo);
  cleanups.push(receiver.close);
  const env = {
    SLACK_WEBHOOK_URL: `${receiver.url}/services/T0/B0/${CANARY}-slack`,
    DISCORD_WEBHOOK_URL: `${receiver.url}/api/webhooks/1/${CANARY}-discord`,
    VIGIL_WEBHOOK_URL: `${receiver.url}/hook?token=${CANARY}-hook`,
    VIGIL_WEBHOOK_SECRET: `${CANARY}-hmac`,
    PAGERDUTY_ROUTING_KEY: `${CANARY}-routing`,
  };
  const configs = resolveAlertChannels([
    { name: 'slack', kind: 'slack' },
    { name: 'discord', kind: 'discord' },
    { name: 'hook', kind: 'webhook', secret_env: 'VIGIL_WEBHOOK_SECRET' },
    { name: 'pd', kind: 'pagerduty', url: `${receiver.url}/v2/enqueue` },
  ]);
  const dir = tempDir();
  const db = openHistoryDatabase(path.join(dir, 'history.db'));
  cleanups.push(() => db.close());
  const records: DeliveryRecord[] = [];
  const written: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    const spy = vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    cleanups.push(() => spy.mockRestore());
  }
  const notifier = new Notifier({ db, channels: createChannels(configs, { env, clock: realClock }), onDelivery: (r) => records.push(r) });
  cleanups.push(() => notifier.stop());
  notifier.start();
  for (const name of ['slack', 'discord', 'hook', 'pd']) notifier.enqueue(sampleNotification(name, [sampleAlert()]));
  const tests = await Promise.all(['slack', 'discord', 'hook', 'pd'].map((name) => notifier.sendTest(name, 'http://127.0.0.1:7357/')));
  await waitUntil(() => notifier.status().every((s) => s.queued === 0), 'every delivery to fail');

  // The receivers did get the secrets (they were really used)...
  expect(receiver.requests.map((r) => r.path + r.raw).join('\n')).toContain(CANARY);
  // ...and the refusals were recorded, with the receiver's words but not the secret.
  expect(records.filter((r) => r.state === 'failed')).toHaveLength(8);
  expect(records.find((r) => r.channel === 'slack' && r.state === 'failed')!.lastError).toContain('[redacted]');

  const everything = [
    JSON.stringify(records),
    JSON.stringify(tests),
    JSON.stringify(notifier.status()),
    ...readdirSync(dir).map((f) => readFileSync(path.join(dir, f)).toString('latin1')),
    written.join(''),
  ].join('\n');
  expect(everything).toContain('refused');
  expect(everything).not.toContain(CANARY);
});
