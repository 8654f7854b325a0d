// The channels' section of the stack file: defaults, and the refusals a user meets, each at the
// line of the offending key (located the way the stack file loader does: the zod issue's path
// into the YAML document).
import { isMap, LineCounter, parseDocument } from 'yaml';
import { expect, test } from 'vitest';
import { alertChannelsSchema, channelSecretEnvs, resolveAlertChannels } from '../../../src/core/alerts/config/channels-config.ts';
import { createChannels } from '../../../src/core/alerts/channels/create-channel.ts';
import { realClock } from '../../../src/core/kit/clock.ts';
import { isEngineSecret } from '../../../src/shared/engine-secrets.ts';
import { yaml } from '../../helpers/temp-files.ts';

/** Problems as "line: message", for a `channels:` list written in YAML. */
function problems(text: string): string[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const parsed = alertChannelsSchema.safeParse((doc.toJS() as { channels: unknown }).channels);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const at = ['channels', ...issue.path] as Array<string | number>;
    // The key's own line for a refused key; the value's otherwise (as load-stack.ts does).
    let node = doc.getIn(at, true) as { range?: [number, number] } | undefined;
    if (!node?.range) node = doc.getIn(at.slice(0, -1), true) as { range?: [number, number] };
    const parent = doc.getIn(at.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((p) => String((p.key as { value?: unknown }).value) === String(at.at(-1)));
      if (pair?.key) node = pair.key as { range?: [number, number] };
    }
    return `${lines.linePos(node?.range?.[0] ?? 0).line}: ${issue.message}`;
  });
}

test('every kind with its defaults filled in', () => {
  const channels = resolveAlertChannels([
    { name: 'desk', kind: 'desktop' },
    { name: 'team', kind: 'slack', min_severity: 'warning' },
    { name: 'ops', kind: 'discord', url_env: 'DISCORD_WEBHOOK_URL_OPS' },
    { name: 'hook', kind: 'webhook', secret_env: 'VIGIL_WEBHOOK_SECRET' },
    { name: 'mail', kind: 'email', to: 'oncall@example.com', from: 'vigil@example.com', host: 'smtp.example.com', user: 'vigil' },
    { name: 'pd', kind: 'pagerduty' },
    { name: 'am', kind: 'alertmanager', url: 'http://127.0.0.1:9093/' },
  ]);
  expect(channels.map((c) => [c.name, c.min_severity, c.timeout, c.expire_after])).toEqual([
    ['desk', 'info', 10_000, 21_600_000],
    ['team', 'warning', 10_000, 21_600_000],
    ['ops', 'info', 10_000, 21_600_000],
    ['hook', 'info', 10_000, 21_600_000],
    ['mail', 'info', 10_000, 21_600_000],
    ['pd', 'info', 10_000, 21_600_000],
    ['am', 'info', 10_000, 21_600_000],
  ]);
  expect(channels.map(channelSecretEnvs)).toEqual([
    [],
    ['SLACK_WEBHOOK_URL'],
    ['DISCORD_WEBHOOK_URL_OPS'],
    ['VIGIL_WEBHOOK_URL', 'VIGIL_WEBHOOK_SECRET'],
    ['VIGIL_SMTP_PASSWORD'],
    ['PAGERDUTY_ROUTING_KEY'],
    [],
  ]);
  expect(channels[4]).toMatchObject({ to: ['oncall@example.com'], port: 587, secure: false });
  expect(channels[5]).toMatchObject({ url: 'https://events.pagerduty.com/v2/enqueue' });
  expect(channels[6]).toMatchObject({ url: 'http://127.0.0.1:9093', resend_interval: 60_000 });
  // Every variable a channel reads is kept from the services.
  for (const env of channels.flatMap(channelSecretEnvs)) expect(isEngineSecret(env)).toBe(true);
});

test('a literal webhook URL, routing key or password is refused at its line, saying where it goes', () => {
  const found = problems(
    yaml(
      'channels:',
      '  - name: team',
      '    kind: slack',
      '    url: https://hooks.slack.com/services/T0/B0/XXXX',
      '  - name: pd',
      '    kind: pagerduty',
      '    routing_key: abcdef0123456789',
      '  - name: mail',
      '    kind: email',
      '    to: a@example.com',
      '    from: b@example.com',
      '    host: smtp.example.com',
      '    password: hunter2',
    ),
  );
  expect(found).toEqual([
    expect.stringMatching(/^4: a Slack webhook URL is a secret .* name that variable instead, e\.g\. "url_env: SLACK_WEBHOOK_URL"$/),
    expect.stringMatching(/^7: a PagerDuty routing key is a secret .* "routing_key_env: PAGERDUTY_ROUTING_KEY"$/),
    expect.stringMatching(/^13: an SMTP password is a secret .* "password_env: VIGIL_SMTP_PASSWORD"$/),
  ]);
  // The message never repeats the secret.
  expect(found.join('\n')).not.toMatch(/XXXX|abcdef0123456789|hunter2/);
});

test('a variable the services would inherit is refused, as are unknown kinds, bad addresses and twins', () => {
  const found = problems(
    yaml(
      'channels:',
      '  - name: team',
      '    kind: slack',
      '    url_env: MY_SLACK',
      '  - name: x',
      '    kind: teams',
      '  - name: mail',
      '    kind: email',
      '    to: not-an-address',
      '    from: b@example.com',
      '    host: smtp.example.com',
    ),
  );
  expect(found).toEqual([
    expect.stringMatching(/^4: "MY_SLACK" is not one of the engine's secrets, so the services Vigil starts would inherit it; use one of: .*SLACK_WEBHOOK_URL/),
    expect.stringMatching(/^6: unknown channel kind "teams"; expected one of desktop, slack, discord, webhook, email, pagerduty, alertmanager$/),
    expect.stringMatching(/^9: expected an email address, got "not-an-address"$/),
  ]);
  // Two channels of one name (checked once each channel is valid).
  expect(problems(yaml('channels:', '  - name: team', '    kind: desktop', '  - name: team', '    kind: slack'))).toEqual(['4: a channel named "team" is already declared above']);
});

test('a channel whose secret is not set is built, and names the variable it lacks', () => {
  const channels = createChannels(resolveAlertChannels([{ name: 'team', kind: 'slack' }, { name: 'desk', kind: 'desktop' }]), { env: {}, clock: realClock });
  expect(channels.map((c) => [c.channel.name, c.missingSecret])).toEqual([
    ['team', 'SLACK_WEBHOOK_URL'],
    ['desk', null],
  ]);
});
