// The stack file's alert channels: where notifications go. The integrator mounts the list in
// the stack file schema (e.g. `alerts: { channels: alertChannelsSchema }`); every issue this
// schema raises has the field path that the loader turns into file:line.
//
// Secrets never sit in this file (a stack file usually lives in a repo): a channel names the
// environment variable that holds its webhook URL, routing key, password or signing key (the app
// fills those variables from its key store). A literal secret is refused with the way to fix it,
// and a variable must be one of the engine's secrets (src/shared/engine-secrets.ts) so that the
// services Vigil starts never inherit it.
import { z } from 'zod';
import { describeEngineSecrets, isEngineSecret } from '../../../shared/engine-secrets.ts';
import { positiveDuration, SERVICE_NAME, show, strictObject } from '../../kit/schema-kit.ts';

export const CHANNEL_KINDS = ['desktop', 'slack', 'discord', 'webhook', 'email', 'pagerduty', 'alertmanager'] as const;
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

const severity = z
  .enum(['info', 'warning', 'critical'], { error: (i) => `expected "info", "warning" or "critical", got ${show(i.input)}` })
  .default('info')
  .meta({ description: 'The least severe alert this channel is sent (and resolved notices of those). Default info: every alert.' });

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The name of an environment variable that holds a secret: one of the engine's secrets. */
const envName = (what: string) =>
  z
    .string({ error: (i) => `expected the name of an environment variable that holds ${what}, got ${show(i.input)}` })
    .regex(ENV_NAME, { error: (i) => `expected an environment variable name (letters, digits, "_"), got ${show(i.input)}` })
    .refine(isEngineSecret, {
      error: (i) =>
        `${show(i.input)} is not one of the engine's secrets, so the services Vigil starts would inherit it; use one of: ${describeEngineSecrets()}`,
    });

const envHelp = (what: string) => `The environment variable that holds ${what} (set it in the environment, or in the app's key store).`;

const secretEnv = (defaultName: string, what: string) => envName(what).default(defaultName).meta({ description: `${envHelp(what)} Default ${defaultName}.` });

const optionalSecretEnv = (what: string) => envName(what).optional().meta({ description: envHelp(what) });

/** A key that would put a secret in the file: refused, saying where the secret goes instead. */
const refusedSecret = (what: string, envKey: string, example: string) =>
  z
    .unknown()
    .optional()
    .superRefine((value, ctx) => {
      if (value === undefined) return;
      ctx.addIssue({
        code: 'custom',
        message: `${what} is a secret and does not belong in the stack file, which is usually committed: put it in an environment variable (or the app's key store) and name that variable instead, e.g. "${envKey}: ${example}"`,
      });
    })
    .transform(() => undefined)
    .meta({ description: `Refused: ${what} is a secret; use ${envKey}.` });

const httpUrl = (what: string, example: string) =>
  z.url({ protocol: /^https?$/, error: (i) => `expected ${what} (an http(s) URL such as "${example}"), got ${show(i.input)}` });

const common = {
  name: z
    .string({ error: (i) => (i.input === undefined ? 'a channel needs a name (name: team-slack)' : `expected a channel name, got ${show(i.input)}`) })
    .regex(SERVICE_NAME, { error: (i) => `a channel name uses letters, digits, ".", "_" and "-", and starts with a letter or digit; got ${show(i.input)}` })
    .meta({ description: 'The name rules and `vigil alerts test <name>` use.', examples: ['team-slack'] }),
  min_severity: severity,
  timeout: positiveDuration(10_000, '10s', 'How long one delivery attempt may take.'),
  expire_after: positiveDuration(6 * 3_600_000, '6h', 'A notification this channel could not take for this long is marked expired (and shown so) instead of being retried forever.'),
};

const kind = <K extends (typeof CHANNEL_KINDS)[number]>(k: K) => z.literal(k);

const desktopSchema = strictObject({ ...common, kind: kind('desktop') }, 'a desktop channel');

const slackSchema = strictObject(
  {
    ...common,
    kind: kind('slack'),
    url_env: secretEnv('SLACK_WEBHOOK_URL', "the Slack incoming webhook's URL"),
    url: refusedSecret('a Slack webhook URL', 'url_env', 'SLACK_WEBHOOK_URL'),
  },
  'a Slack channel',
);

const discordSchema = strictObject(
  {
    ...common,
    kind: kind('discord'),
    url_env: secretEnv('DISCORD_WEBHOOK_URL', "the Discord webhook's URL"),
    url: refusedSecret('a Discord webhook URL', 'url_env', 'DISCORD_WEBHOOK_URL'),
  },
  'a Discord channel',
);

const webhookSchema = strictObject(
  {
    ...common,
    kind: kind('webhook'),
    url_env: secretEnv('VIGIL_WEBHOOK_URL', 'the URL Vigil posts to'),
    url: refusedSecret('a webhook URL', 'url_env', 'VIGIL_WEBHOOK_URL'),
    secret_env: optionalSecretEnv('the key Vigil signs each body with (HMAC-SHA256); without it bodies are not signed'),
    secret: refusedSecret('a webhook signing key', 'secret_env', 'VIGIL_WEBHOOK_SECRET'),
  },
  'a webhook channel',
);

const address = z.email({ error: (i) => `expected an email address, got ${show(i.input)}` });

const emailSchema = strictObject(
  {
    ...common,
    kind: kind('email'),
    to: z
      .union([address, z.array(address).min(1, { error: 'expected at least one address' })], {
        error: (i) => `expected an address or a list of addresses, got ${show(i.input)}`,
      })
      .transform((to) => (Array.isArray(to) ? to : [to]))
      .meta({ description: 'Who gets the mail.', examples: [['oncall@example.com']] }),
    from: address.meta({ description: 'The sender address.', examples: ['vigil@example.com'] }),
    host: z
      .string({ error: (i) => `expected the SMTP server's host name, got ${show(i.input)}` })
      .min(1, { error: "the SMTP server's host name is empty" })
      .meta({ description: 'The SMTP server.', examples: ['smtp.example.com'] }),
    port: z
      .number({ error: (i) => `expected a port number (1-65535), got ${show(i.input)}` })
      .int({ error: (i) => `expected a port number (1-65535), got ${show(i.input)}` })
      .min(1, { error: (i) => `expected a port number (1-65535), got ${show(i.input)}` })
      .max(65535, { error: (i) => `expected a port number (1-65535), got ${show(i.input)}` })
      .default(587)
      .meta({ description: 'The SMTP port. Default 587 (submission, upgraded with STARTTLS).' }),
    secure: z
      .boolean({ error: (i) => `expected true or false, got ${show(i.input)}` })
      .optional()
      .meta({ description: 'TLS from the first byte (port 465). Default: true on port 465, else STARTTLS when the server offers it.' }),
    user: z
      .string({ error: (i) => `expected a user name, got ${show(i.input)}` })
      .optional()
      .meta({ description: 'The SMTP user name, when the server wants a login.' }),
    password_env: optionalSecretEnv('the SMTP password (needed with `user`; e.g. VIGIL_SMTP_PASSWORD)'),
    password: refusedSecret('an SMTP password', 'password_env', 'VIGIL_SMTP_PASSWORD'),
  },
  'an email channel',
).transform((spec) => ({
  ...spec,
  secure: spec.secure ?? spec.port === 465,
  password_env: spec.password_env ?? (spec.user ? 'VIGIL_SMTP_PASSWORD' : undefined),
}));

const pagerdutySchema = strictObject(
  {
    ...common,
    kind: kind('pagerduty'),
    routing_key_env: secretEnv('PAGERDUTY_ROUTING_KEY', "the Events API v2 integration's routing key"),
    routing_key: refusedSecret('a PagerDuty routing key', 'routing_key_env', 'PAGERDUTY_ROUTING_KEY'),
    url: httpUrl('the Events API v2 URL', PAGERDUTY_EVENTS_URL)
      .default(PAGERDUTY_EVENTS_URL)
      .meta({ description: `The Events API v2 endpoint. Default ${PAGERDUTY_EVENTS_URL}.` }),
    source: z
      .string({ error: (i) => `expected a source name, got ${show(i.input)}` })
      .min(1, { error: 'the source is empty' })
      .optional()
      .meta({ description: "The event's payload.source (the affected system). Default: this machine's host name." }),
  },
  'a PagerDuty channel',
);

const alertmanagerSchema = strictObject(
  {
    ...common,
    kind: kind('alertmanager'),
    url: httpUrl("Alertmanager's base URL", 'http://127.0.0.1:9093').meta({
      description: "Alertmanager's base URL; Vigil posts to <url>/api/v2/alerts.",
      examples: ['http://127.0.0.1:9093'],
    }),
    resend_interval: positiveDuration(60_000, '1m', 'How often Vigil re-sends the alerts still firing, as Alertmanager expects of its clients (each says it ends 4 intervals later unless sent again).'),
  },
  'an Alertmanager channel',
).transform((spec) => ({ ...spec, url: spec.url.replace(/\/+$/, '') }));

export const alertChannelSchema = z.discriminatedUnion('kind', [desktopSchema, slackSchema, discordSchema, webhookSchema, emailSchema, pagerdutySchema, alertmanagerSchema], {
  error: (i) => {
    const given = (i.input as { kind?: unknown } | undefined)?.kind;
    return given === undefined
      ? `a channel needs a kind: one of ${CHANNEL_KINDS.join(', ')}`
      : `unknown channel kind ${show(given)}; expected one of ${CHANNEL_KINDS.join(', ')}`;
  },
});

export const alertChannelsSchema = z
  .array(alertChannelSchema, { error: (i) => `expected a list of channels (each "- name: ... kind: ..."), got ${show(i.input)}` })
  .default([])
  .superRefine((channels, ctx) => {
    const seen = new Set<string>();
    channels.forEach((channel, index) => {
      if (seen.has(channel.name)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `a channel named "${channel.name}" is already declared above` });
      seen.add(channel.name);
    });
  })
  .meta({ description: 'Where alert notifications go: desktop, Slack, Discord, a webhook, email, PagerDuty, Alertmanager.' });

/** What a user writes for one channel. */
export type AlertChannelInput = z.input<typeof alertChannelSchema>;
/** One channel with every default filled in (durations in milliseconds). */
export type AlertChannelConfig = z.output<typeof alertChannelSchema>;
export type AlertChannelsConfig = z.output<typeof alertChannelsSchema>;

/** The environment variables a channel reads its secrets from. */
export function channelSecretEnvs(channel: AlertChannelConfig): string[] {
  switch (channel.kind) {
    case 'slack':
    case 'discord':
      return [channel.url_env];
    case 'webhook':
      return channel.secret_env ? [channel.url_env, channel.secret_env] : [channel.url_env];
    case 'email':
      return channel.password_env ? [channel.password_env] : [];
    case 'pagerduty':
      return [channel.routing_key_env];
    default:
      return [];
  }
}

/** Resolves a channels list (throws zod's error on bad input): for tests and callers that do not
 * go through the stack file loader. */
export function resolveAlertChannels(input: unknown): AlertChannelsConfig {
  return alertChannelsSchema.parse(input);
}
