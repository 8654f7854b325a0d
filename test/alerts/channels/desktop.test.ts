// The desktop channel: what a notification says and offers (a pure function, shared by the app's
// Electron notification and the headless one), its flood guard, and the headless path through
// node-notifier to a real `notify-send` process. The `notify-send` here is a stand-in script on
// PATH that records its arguments: what a desktop then shows, and a click on it, cannot be
// observed on this machine (no display, no notification daemon), nor Electron's Notification
// (its runtime cannot run here; src/main/alert-notification.ts is type-checked only).
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { desktopChannel, nodeNotifierOptions, nodeNotifierPresenter } from '../../../src/core/alerts/channels/desktop.ts';
import { desktopPayload } from '../../../src/core/alerts/channels/desktop-payload.ts';
import { throttleDesktop } from '../../../src/core/alerts/channels/desktop-throttle.ts';
import type { DeliveryError } from '../../../src/core/alerts/notify/delivery-error.ts';
import { tempDir } from '../../helpers/temp-files.ts';
import { resolvedCopy, sampleAlert, sampleNotification } from '../alert-samples.ts';

describe('the payload', () => {
  test('a crash: title, facts and last line, Restart / Silence 1 h / Open, critical, the service view', () => {
    const alert = sampleAlert({ service: 'server' });
    const payload = desktopPayload(sampleNotification('desktop', [alert]));
    expect(payload).toEqual({
      title: 'server crashed (exit code 1)',
      body: 'Exit code 1 · Restarts 3\n    at main (server.js:10:5)',
      urgency: 'critical',
      actions: [
        { id: 'restart', text: 'Restart service' },
        { id: 'silence-1h', text: 'Silence 1 h' },
        { id: 'open', text: 'Open' },
      ],
      link: 'http://127.0.0.1:7357/#/service/server',
      service: 'server',
      fingerprints: [alert.fingerprint],
      alertIds: [alert.id],
    });
  });

  test('a threshold warning says value and threshold, at normal urgency; an info alert is low', () => {
    const cpu = sampleAlert({ rule: 'system-cpu', severity: 'warning', summary: 'CPU 93 % > 90 % for 2 min', details: { value: 93.4, threshold: 90, unit: '%', series: 'system_cpu_percent' }, labels: { alertname: 'system-cpu' }, link: '#/system' });
    const payload = desktopPayload(sampleNotification('desktop', [cpu]));
    expect(payload.body).toBe('Value 93.4 % · Threshold 90 %');
    expect(payload.urgency).toBe('normal');
    expect(payload.actions.map((a) => a.id)).toEqual(['silence-1h', 'open']); // no service to restart
    expect(payload.link).toBe('http://127.0.0.1:7357/#/system');
    expect(desktopPayload(sampleNotification('desktop', [{ ...cpu, severity: 'info' }])).urgency).toBe('low');
  });

  test('five services down make one notification listing them, opening the alerts view', () => {
    const alerts = ['a', 'b', 'c', 'd', 'e', 'f'].map((service) => sampleAlert({ service }));
    const payload = desktopPayload(sampleNotification('desktop', alerts));
    expect(payload.title.startsWith('6 alerts firing: a crashed')).toBe(true);
    expect(payload.body.split('\n')).toEqual(['• a crashed (exit code 1)', '• b crashed (exit code 1)', '• c crashed (exit code 1)', '• d crashed (exit code 1)', '• e crashed (exit code 1)', '…and 1 more']);
    expect(payload.service).toBeNull();
    expect(payload.actions.map((a) => a.id)).toEqual(['silence-1h', 'open']);
    expect(payload.link).toBe('http://127.0.0.1:7357/#/alerts');
  });

  test('a resolve says so, offers only Open, and is not urgent', () => {
    const payload = desktopPayload(sampleNotification('desktop', [resolvedCopy(sampleAlert())], 'resolved'));
    expect(payload.title).toBe('Resolved: server crashed (exit code 1)');
    expect(payload.actions).toEqual([{ id: 'open', text: 'Open' }]);
    expect(payload.urgency).toBe('low');
  });
});

describe('the flood guard', () => {
  test('the same alert firing again within a minute is held back; a resolve or another alert is not', () => {
    const a = sampleAlert();
    const first = throttleDesktop(sampleNotification('d', [a]), new Map(), 0);
    expect(first.show).toBe(true);
    expect(throttleDesktop(sampleNotification('d', [a]), first.shownAt, 30_000).show).toBe(false);
    expect(throttleDesktop(sampleNotification('d', [a], 'repeat'), first.shownAt, 30_000).show).toBe(false);
    expect(throttleDesktop(sampleNotification('d', [resolvedCopy(a)], 'resolved'), first.shownAt, 30_000).show).toBe(true);
    expect(throttleDesktop(sampleNotification('d', [a], 'escalation'), first.shownAt, 30_000).show).toBe(true);
    expect(throttleDesktop(sampleNotification('d', [sampleAlert()]), first.shownAt, 30_000).show).toBe(true);
    expect(throttleDesktop(sampleNotification('d', [a]), first.shownAt, 60_000).show).toBe(true);
  });
});

describe('headless, through node-notifier', () => {
  const savedPath = process.env.PATH;
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  /** A `notify-send` on PATH that writes its arguments, NUL-separated, to a file. */
  function fakeNotifySend(): string {
    const dir = tempDir();
    const out = path.join(dir, 'args');
    const script = path.join(dir, 'notify-send');
    writeFileSync(script, `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a" >> '${out}'; done\n`);
    chmodSync(script, 0o755);
    process.env.PATH = `${dir}${path.delimiter}${savedPath}`;
    return out;
  }

  test.skipIf(process.platform !== 'linux')('runs notify-send with the title, the body, the urgency and the app name', async () => {
    const out = fakeNotifySend();
    const channel = desktopChannel({ name: 'desktop', present: nodeNotifierPresenter() });
    const notification = sampleNotification('desktop', [sampleAlert({ service: 'server' })]);
    await channel.send(notification, { deliveryId: 'd', now: Date.now(), signal: new AbortController().signal });
    const args = readFileSync(out, 'utf8').split('\0').slice(0, -1);
    const payload = desktopPayload(notification);
    // node-notifier writes line breaks as "\n" escapes, which notify-send turns back into breaks.
    expect(args.slice(0, 2)).toEqual([payload.title, payload.body.replace(/\n/g, '\\n')]);
    expect(args).toContain('--urgency');
    expect(args[args.indexOf('--urgency') + 1]).toBe('critical');
    expect(args[args.indexOf('--app-name') + 1]).toBe('Vigil');

    // Held back by the flood guard: notify-send is not run again for the same alert.
    const before = readFileSync(out, 'utf8');
    await channel.send(notification, { deliveryId: 'd2', now: Date.now(), signal: new AbortController().signal });
    expect(readFileSync(out, 'utf8')).toBe(before);
  });

  test('a notifier that fails gives a delivery error that says what to install, not worth retrying', async () => {
    const failing = { notify: (_o: Record<string, unknown>, cb: (e: Error | null, r: unknown) => void) => cb(new Error('notify-send must be installed on the system.'), null) };
    const error = (await nodeNotifierPresenter(failing)(desktopPayload(sampleNotification('desktop'))).catch((e: unknown) => e)) as DeliveryError;
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('libnotify-bin');
  });

  test('macOS and Windows get the link to open and the buttons in the same call', () => {
    const options = nodeNotifierOptions(desktopPayload(sampleNotification('desktop')));
    expect(options.open).toBe('http://127.0.0.1:7357/#/service/server');
    expect(options.actions).toEqual(['Restart service', 'Silence 1 h', 'Open']);
    expect(existsSync(path.join(process.cwd(), 'node_modules/node-notifier/notifiers/notifysend.js'))).toBe(true);
  });
});
