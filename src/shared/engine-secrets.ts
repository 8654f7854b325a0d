// The environment variables that hold the engine's own secrets: the one list of them. The
// engine reads them (or will: the alert channels); the services it starts do not get them,
// unless a service names one in `pass_secrets:` in vigil.yml. A part of Vigil that reads a
// new secret from the environment adds its name here, and from then on it stays out of the
// services' environment too. Imported by the engine (the spawn environment, the stack file
// schema) and by the app (the secrets it keeps for the engine).

export interface EngineSecret {
  /** The variable's name, or a pattern for a family of names. */
  env: string | RegExp;
  /** Who in Vigil reads it, for the schema's description and error messages. */
  readBy: string;
}

export const ENGINE_SECRETS: readonly EngineSecret[] = [
  { env: 'FLY_API_TOKEN', readBy: 'the Fly.io watcher (the "fly:" section)' },
  // Vigil's own credentials, present and future: VIGIL_API_TOKEN, VIGIL_SMTP_PASSWORD, ...
  { env: /^VIGIL_(?:[A-Z0-9]+_)*(?:TOKEN|SECRET|PASSWORD|KEY)(?:_[A-Z0-9]+)*$/, readBy: "Vigil's own credentials (VIGIL_*_TOKEN, _SECRET, _PASSWORD, _KEY)" },
  // The alert channels' credentials (src/core/alerts/config/channels-config.ts). Each default
  // name, and a family for a stack with several channels of one kind (SLACK_WEBHOOK_URL_OPS).
  // The SMTP password and the webhook's HMAC key fall under Vigil's own pattern above
  // (VIGIL_SMTP_PASSWORD, VIGIL_WEBHOOK_SECRET).
  { env: 'SLACK_WEBHOOK_URL', readBy: 'the Slack alert channel' },
  { env: /^SLACK_WEBHOOK_URL_[A-Z0-9_]+$/, readBy: 'more Slack alert channels (SLACK_WEBHOOK_URL_*)' },
  { env: 'DISCORD_WEBHOOK_URL', readBy: 'the Discord alert channel' },
  { env: /^DISCORD_WEBHOOK_URL_[A-Z0-9_]+$/, readBy: 'more Discord alert channels (DISCORD_WEBHOOK_URL_*)' },
  { env: 'PAGERDUTY_ROUTING_KEY', readBy: 'the PagerDuty alert channel' },
  { env: /^PAGERDUTY_ROUTING_KEY_[A-Z0-9_]+$/, readBy: 'more PagerDuty alert channels (PAGERDUTY_ROUTING_KEY_*)' },
  { env: /^VIGIL_(?:[A-Z0-9]+_)*WEBHOOK_URL(?:_[A-Z0-9]+)*$/, readBy: 'the webhook alert channels (VIGIL_WEBHOOK_URL, VIGIL_*_WEBHOOK_URL)' },
];

export function isEngineSecret(name: string): boolean {
  return ENGINE_SECRETS.some((s) => (typeof s.env === 'string' ? s.env === name : s.env.test(name)));
}

/** The list for messages: names, and patterns as written. */
export function describeEngineSecrets(): string {
  return ENGINE_SECRETS.map((s) => (typeof s.env === 'string' ? s.env : s.readBy)).join(', ');
}
