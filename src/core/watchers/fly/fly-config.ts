// The stack file's `fly:` section, and the resolved config a FlyWatcher runs with.
// The lead adds `fly: flySchema.optional()` to the stack file schema; it is built from the same
// pieces (kit/schema-kit.ts) as the rest of it, and imports nothing from schema.ts itself.
// The token is deliberately NOT a key here: a stack file sits in a repo, so the token comes from
// FLY_API_TOKEN (or the secret store) and is handed to the watcher as an option.
import { z } from 'zod';
import { show, strictObject, positiveDuration as duration } from '../../kit/schema-kit.ts';

/** The public Machines API; tests point `api:` at a loopback simulator instead. */
export const DEFAULT_MACHINES_API = 'https://api.machines.dev/v1';
export const defaultHealthUrl = (app: string) => `https://${app}.fly.dev/health`;

// Fly app names are lowercase letters, digits and dashes. Checking that here also keeps the name
// safe to put into the API's URL paths.
const APP_NAME = /^[a-z0-9][a-z0-9-]*$/;

const httpUrl = (what: string, example: string) =>
  z.url({ protocol: /^https?$/, error: (i) => `expected ${what} (an http(s) URL such as "${example}"), got ${show(i.input)}` });

const restartSchema = strictObject(
  {
    after: duration(120_000, '2m', 'How long a machine\'s checks must stay critical before Vigil restarts it (only while auto-restart is on).'),
    min_interval: duration(600_000, '10m', 'At most one restart per machine within this time, so a machine that stays broken is not restarted in a loop.'),
  },
  'Fly restart settings',
);

export const flySchema = strictObject(
  {
    app: z
      .string({ error: (i) => (i.input === undefined ? 'fly needs the app name (fly: { app: my-app })' : `expected a Fly app name, got ${show(i.input)}`) })
      .regex(APP_NAME, { error: (i) => `a Fly app name uses lowercase letters, digits and "-"; got ${show(i.input)}` })
      .meta({ description: 'The Fly.io app to watch. The token comes from the FLY_API_TOKEN environment variable, never from this file.', examples: ['my-app'] }),
    health_url: httpUrl('a health URL', 'https://my-app.fly.dev/health')
      .optional()
      .meta({ description: 'Polled when no token is set. Default https://<app>.fly.dev/health.' }),
    api: httpUrl('the Machines API base URL', DEFAULT_MACHINES_API)
      .default(DEFAULT_MACHINES_API)
      .meta({ description: `The Machines API base URL. Default ${DEFAULT_MACHINES_API}.` }),
    interval: duration(30_000, '30s', 'Time between polls (longer while Fly cannot be reached).'),
    timeout: duration(10_000, '10s', 'How long one request to Fly may take.'),
    restart: restartSchema.prefault({}).meta({ description: 'When Vigil restarts a machine whose checks stay critical (only while auto-restart is on).' }),
    stuck_after: duration(300_000, '5m', 'A machine starting, stopping or restarting for longer than this counts as stuck.'),
  },
  'the fly settings',
).transform((spec) => ({
  ...spec,
  // Resolved here so every consumer sees the same URL; no trailing slash so paths can be appended.
  health_url: spec.health_url ?? defaultHealthUrl(spec.app),
  api: spec.api.replace(/\/+$/, ''),
}));

/** What a user writes under `fly:`. */
export type FlySpecInput = z.input<typeof flySchema>;
/** The resolved settings: every default filled in, durations in milliseconds. */
export type FlyConfig = z.output<typeof flySchema>;

/** Resolves a `fly:` section (throws zod's error on bad input); handy for tests and callers
 * that do not go through the stack file loader. */
export function resolveFlyConfig(input: FlySpecInput): FlyConfig {
  return flySchema.parse(input);
}
