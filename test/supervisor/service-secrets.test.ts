// The engine's own secrets (FLY_API_TOKEN, VIGIL_...TOKEN, the alert channels' webhook URLs and
// keys) stay out of the services' environment unless a service names them in pass_secrets:.
// Everything else of Vigil's environment reaches the services as before.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { NODE, startEngine, waitFor } from '../helpers/stack.ts';

const SECRETS = {
  FLY_API_TOKEN: 'fly-secret-0123456789',
  VIGIL_API_TOKEN: 'vigil-secret-0123456789',
  SLACK_WEBHOOK_URL: 'https://hooks.slack.example/secret-0123456789',
  PAGERDUTY_ROUTING_KEY: 'pd-secret-0123456789',
};
const PLAIN = { VIGIL_TEST_PLAIN_SETTING: 'plain-value' };
const NAMES = [...Object.keys(SECRETS), ...Object.keys(PLAIN)];

let cleanup: (() => Promise<void>) | null = null;
const saved = new Map<string, string | undefined>();
beforeEach(() => {
  for (const [name, value] of Object.entries({ ...SECRETS, ...PLAIN })) {
    saved.set(name, process.env[name]);
    process.env[name] = value;
  }
});
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** A service that prints the variables of NAMES it sees, then idles. */
const printer = (name: string, extra = '') => `
  - name: ${name}
    command: ["${NODE}", "-e", "for (const n of ${JSON.stringify(NAMES).replaceAll('"', "'")}) console.log(n + '=' + (process.env[n] ?? 'unset')); setInterval(() => {}, 1e9)"]${extra}`;

async function seenBy(run: Awaited<ReturnType<typeof startEngine>>, service: string): Promise<Record<string, string>> {
  await waitFor(`${service} printed`, () => run.engine.logs(service).some((l) => l.text.startsWith('VIGIL_TEST_PLAIN_SETTING=')));
  return Object.fromEntries(
    run.engine
      .logs(service)
      .filter((l) => l.stream === 'stdout')
      .map((l) => l.text.split('=') as [string, string]),
  );
}

test("a service sees none of the engine's secrets, and its log says which were kept out (never their values)", async () => {
  const run = await startEngine(`services:${printer('plain')}\n`);
  cleanup = run.cleanup;
  expect(await seenBy(run, 'plain')).toEqual({ FLY_API_TOKEN: 'unset', VIGIL_API_TOKEN: 'unset', SLACK_WEBHOOK_URL: 'unset', PAGERDUTY_ROUTING_KEY: 'unset', ...PLAIN });
  const notes = run.engine.logs('plain').filter((l) => l.stream === 'vigil').map((l) => l.text).join('\n');
  expect(notes).toContain('FLY_API_TOKEN, PAGERDUTY_ROUTING_KEY, SLACK_WEBHOOK_URL, VIGIL_API_TOKEN');
  expect(notes).toContain('pass_secrets');
  for (const value of Object.values(SECRETS)) expect(notes).not.toContain(value);
});

test('a service gets the secrets it names in pass_secrets, and values its own env: sets', async () => {
  const run = await startEngine(`services:${printer('deployer', '\n    pass_secrets: [FLY_API_TOKEN]')}${printer('own', '\n    env: { FLY_API_TOKEN: its-own-value }')}\n`);
  cleanup = run.cleanup;
  expect(await seenBy(run, 'deployer')).toEqual({ FLY_API_TOKEN: SECRETS.FLY_API_TOKEN, VIGIL_API_TOKEN: 'unset', SLACK_WEBHOOK_URL: 'unset', PAGERDUTY_ROUTING_KEY: 'unset', ...PLAIN });
  // A value the stack file sets itself is the user's, not the engine's.
  expect((await seenBy(run, 'own')).FLY_API_TOKEN).toBe('its-own-value');
});
