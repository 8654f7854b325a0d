// Alertmanager: the real one receives a firing and then a resolved alert, read back through its
// v2 API; while an alert fires, the channel re-sends it, as Alertmanager expects of its clients.
import { afterEach, describe, expect, test } from 'vitest';
import { alertmanagerChannel, ENDS_AFTER_INTERVALS, labelName } from '../../../src/core/alerts/channels/alertmanager.ts';
import { realClock } from '../../../src/core/kit/clock.ts';
import { alertmanagerInstalled, startAlertmanager } from '../../fixtures/real-alertmanager.ts';
import { type Receiver, startReceiver } from '../../fixtures/alert-receivers.ts';
import { manualClock } from '../../helpers/manual-clock.ts';
import { resolvedCopy, sampleAlert, sampleNotification } from '../alert-samples.ts';
import { waitUntil } from '../wait-until.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const context = (now = Date.now()) => ({ deliveryId: 'd', now, signal: new AbortController().signal });

interface GettableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  generatorURL: string;
  status: { state: string };
}

if (!alertmanagerInstalled()) {
  console.warn('SKIPPED: the real-Alertmanager test needs /usr/bin/prometheus-alertmanager (apt-get install prometheus-alertmanager)');
}

describe.skipIf(!alertmanagerInstalled())('the real Alertmanager', () => {
  test('receives a firing alert, then its resolve; read back through GET /api/v2/alerts', async () => {
    const am = await startAlertmanager();
    cleanups.push(am.stop);
    const channel = alertmanagerChannel({ name: 'am', url: am.url, resendIntervalMs: 60_000, timeoutMs: 5000, clock: realClock });
    const now = Date.now();
    const alert = sampleAlert({ service: 'server', firingSince: new Date(now - 30_000).toISOString(), labels: { alertname: 'service-crashed', service: 'server', 'app.kubernetes/name': 'x' } });
    await channel.send(sampleNotification('am', [alert]), context(now));

    const firing = (await (await fetch(`${am.url}/api/v2/alerts`)).json()) as GettableAlert[];
    expect(firing).toHaveLength(1);
    const got = firing[0]!;
    expect(got.labels).toEqual({ alertname: 'service-crashed', service: 'server', app_kubernetes_name: 'x', severity: 'critical' });
    expect(got.status.state).toBe('active');
    expect(got.annotations.summary).toBe(alert.summary);
    expect(got.annotations.description).toContain('Exit code: 1');
    expect(got.generatorURL).toBe('http://127.0.0.1:7357/#/service/server');
    expect(Date.parse(got.startsAt)).toBe(now - 30_000);
    expect(Date.parse(got.endsAt)).toBe(now + ENDS_AFTER_INTERVALS * 60_000);
    expect(channel.firing).toEqual(new Set([alert.fingerprint]));

    const resolvedAt = Date.now() - 1000;
    await channel.send(sampleNotification('am', [resolvedCopy({ ...alert }, 0)].map((a) => ({ ...a, resolvedAt: new Date(resolvedAt).toISOString() })), 'resolved'), context());
    // Resolved alerts are no longer listed as active...
    const active = (await (await fetch(`${am.url}/api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true`)).json()) as GettableAlert[];
    expect(active.filter((a) => Date.parse(a.endsAt) > Date.now())).toEqual([]);
    // ...and the alert group holds none either.
    const groups = (await (await fetch(`${am.url}/api/v2/alerts/groups`)).json()) as Array<{ alerts: GettableAlert[] }>;
    expect(groups.flatMap((g) => g.alerts)).toEqual([]);
    expect(channel.firing.size).toBe(0);
  });
});

describe('re-sending what fires', () => {
  async function receiver(): Promise<Receiver> {
    const r = await startReceiver();
    cleanups.push(r.close);
    return r;
  }

  test('every interval while firing, with endsAt moved on; never after the resolve', async () => {
    const am = await receiver();
    const clock = manualClock(Date.UTC(2026, 3, 1));
    const channel = alertmanagerChannel({ name: 'am', url: am.url, resendIntervalMs: 30_000, timeoutMs: 5000, clock });
    cleanups.push(async () => channel.stop!());
    channel.start!([], () => {});
    const alert = sampleAlert();
    await channel.send(sampleNotification('am', [alert]), context(clock.now()));
    await clock.advanceSettled(0); // the start-up re-send, now with one alert
    await am.waitFor(2);
    // The next re-send is scheduled once this one is answered.
    await waitUntil(() => clock.pending === 1, 'the next re-send to be scheduled');
    await clock.advanceSettled(30_000);
    const requests = await am.waitFor(3);
    expect(requests.every((r) => r.path === '/api/v2/alerts')).toBe(true);
    const ends = requests.map((r) => Date.parse((r.json as Array<{ endsAt: string }>)[0]!.endsAt));
    expect(ends[2]! - ends[0]!).toBe(30_000);

    await channel.send(sampleNotification('am', [resolvedCopy(alert)], 'resolved'), context(clock.now()));
    await am.waitFor(4);
    await waitUntil(() => clock.pending === 1, 'the re-send timer');
    await clock.advanceSettled(90_000);
    await waitUntil(() => clock.pending === 1, 'the re-send timer');
    expect(am.requests).toHaveLength(4);
  });

  test('after a restart, the alerts delivered before are re-sent: firing ones only', async () => {
    const am = await receiver();
    const clock = manualClock(Date.UTC(2026, 3, 1));
    const still = sampleAlert({ service: 'server' });
    const over = sampleAlert({ service: 'runner' });
    const delivered = [sampleNotification('am', [still, over]), sampleNotification('am', [resolvedCopy(over)], 'resolved')];
    const channel = alertmanagerChannel({ name: 'am', url: am.url, resendIntervalMs: 30_000, timeoutMs: 5000, clock });
    cleanups.push(async () => channel.stop!());
    let reported: Error | null | undefined;
    channel.start!(delivered, (e) => {
      reported = e;
    });
    await clock.advanceSettled(0);
    const [req] = await am.waitFor(1);
    expect((req!.json as Array<{ labels: { service: string } }>).map((a) => a.labels.service)).toEqual(['server']);
    await waitUntil(() => reported !== undefined, 'the re-send to be answered');
    expect(reported).toBeNull();
  });

  test('label names are made Prometheus-safe', () => {
    expect(['service', 'app.name', '9lives', 'a-b', ''].map(labelName)).toEqual(['service', 'app_name', '_9lives', 'a_b', '_']);
  });
});
