// The desktop channel. What it shows is desktop-payload.ts's call; how depends on where the
// engine runs:
//   - in the app, the engine hands the payload to Electron's main process (the `present`
//     callback the integrator wires to the engine's port), which shows an Electron Notification
//     with its buttons (src/main/alert-notification.ts);
//   - headless (`vigil serve`), node-notifier shows it: notify-send on Linux, Notification Center
//     on macOS (where a click opens the link), toasts on Windows.
// Docs: node-notifier's README (https://github.com/mikaelbr/node-notifier#readme): notify(options,
// callback); on Linux it runs `notify-send` found on PATH with title, message, --urgency,
// --app-name, --icon, --expire-time; on macOS `open` is the URL a click opens and `actions` the
// buttons.
import notifier from 'node-notifier';
import type { AlertNotification } from '../../../shared/alerts.ts';
import { DeliveryError } from '../notify/delivery-error.ts';
import type { AlertChannel, SendContext } from './channel.ts';
import { type DesktopPayload, desktopPayload } from './desktop-payload.ts';
import { type ShownAt, throttleDesktop } from './desktop-throttle.ts';

/** Shows a payload; rejects with a DeliveryError when it cannot. */
export type DesktopPresenter = (payload: DesktopPayload) => Promise<void>;

/** The part of node-notifier this channel uses (its default export fits). */
export interface NodeNotifierLike {
  notify(options: Record<string, unknown>, callback: (error: Error | null, response: unknown) => void): unknown;
}

/** The node-notifier options for a payload: each platform's notifier takes the keys it knows. */
export function nodeNotifierOptions(payload: DesktopPayload): Record<string, unknown> {
  return {
    title: payload.title,
    message: payload.body,
    urgency: payload.urgency, // notify-send
    'app-name': 'Vigil', // notify-send
    open: payload.link, // Notification Center: a click opens the dashboard view
    actions: payload.actions.map((a) => a.text), // Notification Center
    wait: false,
  };
}

export function nodeNotifierPresenter(target: NodeNotifierLike = notifier): DesktopPresenter {
  return (payload) =>
    new Promise((resolve, reject) => {
      target.notify(nodeNotifierOptions(payload), (error) => {
        if (!error) return resolve();
        // No notifier on this machine (no notify-send, no display): trying again will not help.
        reject(new DeliveryError(`the desktop notifier failed: ${error.message} (on Linux, install libnotify-bin for notify-send)`, { retryable: false }));
      });
    });
}

export interface DesktopChannelOptions {
  name: string;
  present: DesktopPresenter;
  quietMs?: number;
}

export function desktopChannel(options: DesktopChannelOptions): AlertChannel {
  let shownAt: ShownAt = new Map();
  return {
    name: options.name,
    kind: 'desktop',
    redact: (text) => text,
    async send(notification: AlertNotification, context: SendContext) {
      const verdict = throttleDesktop(notification, shownAt, context.now, options.quietMs);
      // Held back by the throttle counts as delivered: the user has just seen this alert.
      if (!verdict.show) return;
      await options.present(desktopPayload(notification));
      shownAt = verdict.shownAt;
    },
  };
}
