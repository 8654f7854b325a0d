// Builds the channels a stack file declares (config/channels-config.ts), with their secrets read
// from the environment: headless, Vigil's own; in the app, the environment the app gives the
// engine, filled from its key store. A channel whose secret is missing is still built, and says
// which variable it lacks (its deliveries fail saying so, and the snapshot shows it).
import type { Clock } from '../../kit/clock.ts';
import { type AlertChannelConfig, channelSecretEnvs } from '../config/channels-config.ts';
import type { NotifierChannel } from '../notify/notifier.ts';
import { alertmanagerChannel } from './alertmanager.ts';
import type { AlertChannel } from './channel.ts';
import { type DesktopPresenter, desktopChannel, nodeNotifierPresenter } from './desktop.ts';
import { discordChannel } from './discord.ts';
import { emailChannel } from './email.ts';
import { pagerDutyChannel } from './pagerduty.ts';
import { slackChannel } from './slack.ts';
import { webhookChannel } from './webhook.ts';

export interface ChannelEnvironment {
  /** Where secrets come from (process.env headless). */
  env: Readonly<Record<string, string | undefined>>;
  clock: Clock;
  /** How desktop notifications are shown: in the app, handed to Electron's main process;
   * default node-notifier. */
  presentDesktop?: DesktopPresenter;
}

/** A channel that cannot send: its deliveries fail at once (the notifier says why). */
function unusable(config: AlertChannelConfig): AlertChannel {
  return {
    name: config.name,
    kind: config.kind,
    redact: (text) => text,
    send: () => Promise.reject(new Error(`the channel "${config.name}" lacks its secret`)),
  };
}

export function createChannel(config: AlertChannelConfig, environment: ChannelEnvironment): NotifierChannel {
  const secret = (name: string | undefined) => (name ? environment.env[name] || null : null);
  // A webhook's signing key is optional, but once named it must be there: sending unsigned
  // bodies to a receiver that checks them would fail every delivery, less clearly.
  const missing = channelSecretEnvs(config).find((name) => !secret(name)) ?? null;
  const settings = { minSeverity: config.min_severity, expireAfterMs: config.expire_after, missingSecret: missing };
  if (missing) return { channel: unusable(config), ...settings };
  const timeoutMs = config.timeout;
  let channel: AlertChannel;
  switch (config.kind) {
    case 'desktop':
      channel = desktopChannel({ name: config.name, present: environment.presentDesktop ?? nodeNotifierPresenter() });
      break;
    case 'slack':
      channel = slackChannel({ name: config.name, webhookUrl: secret(config.url_env)!, timeoutMs });
      break;
    case 'discord':
      channel = discordChannel({ name: config.name, webhookUrl: secret(config.url_env)!, timeoutMs });
      break;
    case 'webhook':
      channel = webhookChannel({ name: config.name, url: secret(config.url_env)!, signingKey: secret(config.secret_env), timeoutMs });
      break;
    case 'email':
      channel = emailChannel({ name: config.name, to: config.to, from: config.from, host: config.host, port: config.port, secure: config.secure, user: config.user, password: secret(config.password_env), timeoutMs });
      break;
    case 'pagerduty':
      channel = pagerDutyChannel({ name: config.name, routingKey: secret(config.routing_key_env)!, url: config.url, source: config.source, timeoutMs });
      break;
    case 'alertmanager':
      channel = alertmanagerChannel({ name: config.name, url: config.url, resendIntervalMs: config.resend_interval, timeoutMs, clock: environment.clock });
      break;
  }
  return { channel, ...settings };
}

export function createChannels(configs: readonly AlertChannelConfig[], environment: ChannelEnvironment): NotifierChannel[] {
  return configs.map((config) => createChannel(config, environment));
}
