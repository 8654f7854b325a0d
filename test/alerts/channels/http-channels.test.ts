// Slack, Discord, PagerDuty and the generic webhook post to local receivers that check each
// payload against the vendor's documented shape (test/fixtures/alert-receivers.ts), including
// notifications far bigger than those limits allow, and the webhook's HMAC signature.
import { afterEach, describe, expect, test } from 'vitest';
import { discordChannel, discordMessage } from '../../../src/core/alerts/channels/discord.ts';
import { pagerDutyChannel } from '../../../src/core/alerts/channels/pagerduty.ts';
import { slackChannel, slackMessage } from '../../../src/core/alerts/channels/slack.ts';
import { webhookChannel } from '../../../src/core/alerts/channels/webhook.ts';
import { DeliveryError } from '../../../src/core/alerts/notify/delivery-error.ts';
import type { Alert } from '../../../src/shared/alerts.ts';
import {
  discordProblems,
  pagerDutyAccepted,
  pagerDutyProblems,
  type Receiver,
  slackProblems,
  startReceiver,
  webhookSignatureProblems,
} from '../../fixtures/alert-receivers.ts';
import { resolvedCopy, sampleAlert, sampleNotification } from '../alert-samples.ts';

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
async function receiver(answer?: Receiver['answer']): Promise<Receiver> {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}
const context = (now = Date.now()) => ({ deliveryId: 'delivery-1', now, signal: new AbortController().signal });

/** An alert with everything at its longest: a huge summary, many facts, a long log tail. */
function hugeAlert(i: number): Alert {
  const long = 'x'.repeat(5000);
  return sampleAlert({
    service: `svc-${i}`,
    summary: `svc-${i} ${long}`,
    details: {
      service: `svc-${i}`,
      exitCode: 137,
      signal: 'SIGKILL',
      restarts: 99,
      value: 93.456,
      threshold: 90,
      unit: '%',
      lastLines: Array.from({ length: 400 }, (_, n) => `line ${n} <@everyone> & ${'y'.repeat(80)}`),
      facts: Object.fromEntries(Array.from({ length: 30 }, (_, n) => [`fact ${n} ${'k'.repeat(300)}`, 'v'.repeat(3000)])),
    },
  });
}

describe('Slack', () => {
  test('a crash notification reaches the webhook as Block Kit, with its facts, log tail and link', async () => {
    const slack = await receiver();
    const alert = sampleAlert({ service: 'server' });
    await slackChannel({ name: 'team', webhookUrl: `${slack.url}/services/T000/B000/abc`, timeoutMs: 5000 }).send(sampleNotification('team', [alert]), context());
    const [req] = await slack.waitFor(1);
    expect(req!.method).toBe('POST');
    expect(req!.path).toBe('/services/T000/B000/abc');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(slackProblems(req!.json)).toEqual([]);
    const raw = req!.raw;
    expect(raw).toContain('server crashed (exit code 1)');
    expect(raw).toContain('Error: boom');
    expect(raw).toContain('http://127.0.0.1:7357/#/service/server');
    expect((req!.json as { text: string }).text).toBe('[CRITICAL] server crashed (exit code 1)');
  });

  test('60 huge alerts stay within every documented limit, and the ones left out are counted', () => {
    const message = slackMessage(sampleNotification('team', Array.from({ length: 60 }, (_, i) => hugeAlert(i))));
    expect(slackProblems(message)).toEqual([]);
    const context = message.blocks.at(-1)!;
    expect(context.type).toBe('context');
    expect(JSON.stringify(context)).toMatch(/and \d+ more alerts/);
  });

  test('log lines cannot become mentions or links: &, < and > are escaped', () => {
    const message = slackMessage(sampleNotification('team', [sampleAlert({ details: { lastLines: ['<!channel> <http://evil|x> & co'] } })]));
    const text = JSON.stringify(message.blocks);
    expect(text).toContain('&lt;!channel&gt; &lt;http://evil|x&gt; &amp; co');
    expect(text).not.toContain('<!channel>');
  });
});

describe('Discord', () => {
  test('a notification reaches the webhook as embeds, one per alert, colour by severity', async () => {
    const discord = await receiver(() => ({ status: 204 }));
    const alerts = [sampleAlert({ severity: 'critical' }), sampleAlert({ severity: 'warning', service: 'runner' })];
    await discordChannel({ name: 'ops', webhookUrl: `${discord.url}/api/webhooks/123/tok`, timeoutMs: 5000 }).send(sampleNotification('ops', alerts), context());
    const [req] = await discord.waitFor(1);
    expect(discordProblems(req!.json)).toEqual([]);
    const body = req!.json as { embeds: Array<{ title: string; color: number; url: string }>; allowed_mentions: { parse: string[] } };
    expect(body.embeds.map((e) => e.title)).toEqual(['server crashed (exit code 1)', 'runner crashed (exit code 1)']);
    expect(body.embeds[0]!.color).not.toBe(body.embeds[1]!.color);
    expect(body.embeds[1]!.url).toBe('http://127.0.0.1:7357/#/service/runner');
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  test('60 huge alerts stay within the embed limits and the 6000-character total', () => {
    const message = discordMessage(sampleNotification('ops', Array.from({ length: 60 }, (_, i) => hugeAlert(i))));
    expect(discordProblems(message)).toEqual([]);
    expect(message.embeds.length).toBe(10);
    expect(message.embeds.at(-1)!.title).toBe('…and 51 more alerts');
  });

  test('a 429 is retryable and takes its wait from Discord\'s retry_after', async () => {
    const discord = await receiver(() => ({ status: 429, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'You are being rate limited.', retry_after: 1.5, global: false }) }));
    const error = await discordChannel({ name: 'ops', webhookUrl: `${discord.url}/api/webhooks/1/t`, timeoutMs: 5000 })
      .send(sampleNotification('ops'), context())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).retryable).toBe(true);
    expect((error as DeliveryError).retryAfterMs).toBe(1500);
  });
});

describe('PagerDuty', () => {
  test('trigger, acknowledge and resolve of one alert share a stable dedup_key', async () => {
    const pd = await receiver(pagerDutyAccepted);
    const channel = pagerDutyChannel({ name: 'pd', routingKey: 'R0UT1NGKEY0123456789abcdefabcdef', url: `${pd.url}/v2/enqueue`, source: 'dev-laptop', timeoutMs: 5000 });
    const alert = sampleAlert({ service: 'server' });
    await channel.send(sampleNotification('pd', [alert], 'firing'), context());
    await channel.send(sampleNotification('pd', [alert], 'escalation'), context());
    await channel.send(sampleNotification('pd', [{ ...alert, acknowledged: { at: alert.updatedAt, by: 'me' } }], 'acknowledged'), context());
    await channel.send(sampleNotification('pd', [resolvedCopy(alert)], 'resolved'), context());
    const requests = await pd.waitFor(4);
    for (const r of requests) expect(pagerDutyProblems(r.json)).toEqual([]);
    const events = requests.map((r) => r.json as { event_action: string; dedup_key: string; routing_key: string; payload?: Record<string, unknown> });
    expect(events.map((e) => e.event_action)).toEqual(['trigger', 'trigger', 'acknowledge', 'resolve']);
    expect(new Set(events.map((e) => e.dedup_key))).toEqual(new Set([alert.fingerprint]));
    expect(requests.every((r) => r.path === '/v2/enqueue')).toBe(true);
    const trigger = events[0]!.payload!;
    expect(trigger).toMatchObject({ summary: alert.summary, source: 'dev-laptop', severity: 'critical', component: 'server', class: 'service-crashed' });
    expect((trigger.custom_details as Record<string, string>)['last output']).toContain('Error: boom');
  });

  test('a group of five is five events; a huge summary is cut to 1024', async () => {
    const pd = await receiver(pagerDutyAccepted);
    const channel = pagerDutyChannel({ name: 'pd', routingKey: 'key-0123456789', url: `${pd.url}/v2/enqueue`, timeoutMs: 5000 });
    await channel.send(sampleNotification('pd', Array.from({ length: 5 }, (_, i) => hugeAlert(i))), context());
    const requests = await pd.waitFor(5);
    for (const r of requests) expect(pagerDutyProblems(r.json)).toEqual([]);
    expect(new Set(requests.map((r) => (r.json as { dedup_key: string }).dedup_key)).size).toBe(5);
  });

  test('a test notification triggers and then resolves, leaving no incident open', async () => {
    const pd = await receiver(pagerDutyAccepted);
    const channel = pagerDutyChannel({ name: 'pd', routingKey: 'key-0123456789', url: `${pd.url}/v2/enqueue`, timeoutMs: 5000 });
    await channel.send(sampleNotification('pd', [sampleAlert({ severity: 'info' })], 'test'), context());
    const requests = await pd.waitFor(2);
    expect(requests.map((r) => (r.json as { event_action: string }).event_action)).toEqual(['trigger', 'resolve']);
  });

  test('a 400 fails at once with PagerDuty\'s words and without the routing key', async () => {
    const key = 'R0UT1NG-secret-key-4711';
    const pd = await receiver((r) => ({ status: 400, body: JSON.stringify({ status: 'invalid event', message: 'Event object is invalid', errors: [`Invalid routing key ${(r.json as { routing_key: string }).routing_key}`] }) }));
    const error = (await pagerDutyChannel({ name: 'pd', routingKey: key, url: `${pd.url}/v2/enqueue`, timeoutMs: 5000 })
      .send(sampleNotification('pd'), context())
      .catch((e: unknown) => e)) as DeliveryError;
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('Event object is invalid');
    expect(error.message).toContain('[redacted]');
    expect(error.message).not.toContain(key);
  });
});

describe('webhook', () => {
  test('the documented body, signed with HMAC-SHA256 over the timestamp and the body', async () => {
    const hook = await receiver();
    const key = 'whsec-0123456789abcdef';
    const now = Date.now();
    const alert = sampleAlert();
    await webhookChannel({ name: 'hook', url: `${hook.url}/alerts`, signingKey: key, timeoutMs: 5000 }).send(sampleNotification('hook', [alert]), context(now));
    const [req] = await hook.waitFor(1);
    expect(webhookSignatureProblems(req!, key, now)).toEqual([]);
    expect(webhookSignatureProblems(req!, 'another-key-123', now)).toEqual(['signature does not match']);
    // A replay ten minutes later is refused by its timestamp.
    expect(webhookSignatureProblems(req!, key, now + 10 * 60_000)).toEqual(['timestamp outside 5 minutes']);
    expect(req!.headers['x-vigil-delivery']).toBe('delivery-1');
    const body = req!.json as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['alerts', 'channel', 'createdAt', 'dashboardUrl', 'deliveryId', 'groupKey', 'notificationId', 'reason', 'title', 'version']);
    expect(body).toMatchObject({ version: 1, channel: 'hook', reason: 'firing', title: '[CRITICAL] server crashed (exit code 1)' });
    expect((body.alerts as Array<Record<string, unknown>>)[0]).toMatchObject({ id: alert.id, fingerprint: alert.fingerprint, url: 'http://127.0.0.1:7357/#/service/server', details: alert.details });
  });

  test('without a key the body goes unsigned', async () => {
    const hook = await receiver();
    await webhookChannel({ name: 'hook', url: hook.url, signingKey: null, timeoutMs: 5000 }).send(sampleNotification('hook'), context());
    const [req] = await hook.waitFor(1);
    expect(req!.headers['x-vigil-signature']).toBeUndefined();
  });

  test('5xx and 429 are retryable (Retry-After read), other 4xx are not; no answer at all is retryable', async () => {
    const answers = [
      { status: 503, body: 'down' },
      { status: 429, headers: { 'retry-after': '7' }, body: 'slow down' },
      { status: 404, body: 'no such hook' },
    ];
    const hook = await receiver(() => answers.shift()!);
    const channel = webhookChannel({ name: 'hook', url: hook.url, signingKey: null, timeoutMs: 5000 });
    const errors = [];
    for (let i = 0; i < 3; i++) errors.push((await channel.send(sampleNotification('hook'), context()).catch((e: unknown) => e)) as DeliveryError);
    expect(errors.map((e) => [e.retryable, e.retryAfterMs])).toEqual([
      [true, null],
      [true, 7000],
      [false, null],
    ]);
    expect(errors[2]!.message).toContain('no such hook');
    await hook.close();
    const refused = (await channel.send(sampleNotification('hook'), context()).catch((e: unknown) => e)) as DeliveryError;
    expect(refused.retryable).toBe(true);
    // Refused, or the kept-alive socket found closed: either way, no answer.
    expect(refused.message).toMatch(/failed: (connection refused|the connection closed)/);
  });
});
