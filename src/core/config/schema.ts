// The stack file's schema (vigil.yml). Every key has a default except a service's name (and
// command, for a service Vigil runs); unknown keys are errors with a "did you mean".
// `npm run schema` writes the JSON Schema for editors from this file, so the descriptions here
// are what an editor shows on hover.
import { z } from 'zod';
import { describeEngineSecrets, isEngineSecret } from '../../shared/engine-secrets.ts';
import { flySchema } from '../watchers/fly/fly-config.ts';
import { tunnelsSchema } from '../watchers/tunnels/tunnel-config.ts';
import { DURATION_HINT, duration, durationMs, SERVICE_NAME, show, strictObject } from '../kit/schema-kit.ts';
import { parseSize } from '../kit/units.ts';

export { nearestName, SERVICE_NAME, unknownKeyMessage } from '../kit/schema-kit.ts';

const SIZE_HINT = 'a size such as "10MB", "512KB" or a number of bytes';

const MAX_LOG_BYTES = 100 * 1024 ** 3;

const sizeBytes = z
  .union([z.number(), z.string()], { error: (i) => `expected ${SIZE_HINT}, got ${show(i.input)}` })
  .transform((value, ctx) => {
    const bytes = typeof value === 'number' ? value : parseSize(value);
    if (bytes === null || bytes <= 0 || bytes > MAX_LOG_BYTES) {
      ctx.addIssue({ code: 'custom', message: `expected ${SIZE_HINT} (more than 0, at most 100GB), got ${show(value)}` });
      return z.NEVER;
    }
    return bytes;
  });

const count = (what: string, min = 1) =>
  z
    .number({ error: (i) => `expected ${what} (a whole number), got ${show(i.input)}` })
    .int({ error: (i) => `expected ${what} (a whole number), got ${show(i.input)}` })
    .min(min, { error: (i) => `expected ${what} of at least ${min}, got ${show(i.input)}` });

const PORT_HINT = (i: { input?: unknown }) => `expected a port number (1-65535), got ${show(i.input)}`;
export const portNumber = z.number({ error: PORT_HINT }).int({ error: PORT_HINT }).min(1, { error: PORT_HINT }).max(65535, { error: PORT_HINT });

const fraction = (what: string, min: number, max: number) =>
  z
    .number({ error: (i) => `expected ${what} (a number from ${min} to ${max}), got ${show(i.input)}` })
    .min(min, { error: (i) => `expected ${what} (a number from ${min} to ${max}), got ${show(i.input)}` })
    .max(max, { error: (i) => `expected ${what} (a number from ${min} to ${max}), got ${show(i.input)}` });

const bool = z.boolean({ error: (i) => `expected true or false, got ${show(i.input)}` });

export const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGKILL'] as const;

const healthSchema = strictObject(
  {
    type: z
      .enum(['http', 'tcp', 'none'], { error: (i) => `expected "http", "tcp" or "none", got ${show(i.input)}` })
      .optional()
      .meta({ description: 'How to check the service. Default: http when url or path is set, tcp when the service has a port, else none.' }),
    url: z
      .url({ protocol: /^https?$/, error: (i) => `expected an http(s) URL such as "http://127.0.0.1:5051/health", got ${show(i.input)}` })
      .optional()
      .meta({ description: 'The URL an http check requests.', examples: ['http://127.0.0.1:5051/health'] }),
    path: z
      .string({ error: (i) => `expected a path such as "/health", got ${show(i.input)}` })
      .regex(/^\//, { error: (i) => `expected a path starting with "/", such as "/health", got ${show(i.input)}` })
      .optional()
      .meta({ description: 'With the service\'s port, the check requests http://127.0.0.1:<port><path>.', examples: ['/health'] }),
    status: z
      .number({ error: (i) => `expected an HTTP status code (100-599), got ${show(i.input)}` })
      .int({ error: (i) => `expected an HTTP status code (100-599), got ${show(i.input)}` })
      .min(100, { error: (i) => `expected an HTTP status code (100-599), got ${show(i.input)}` })
      .max(599, { error: (i) => `expected an HTTP status code (100-599), got ${show(i.input)}` })
      .optional()
      .meta({ description: 'The status the URL must answer with. Default: any 2xx.' }),
    timeout: duration(1000, '1s', 'How long one check may take.'),
    interval: duration(1000, '1s', 'Time between checks.'),
    failures: count('a number of failed checks').default(3).meta({ description: 'Failed checks in a row that make the service unhealthy. Default 3.' }),
    start_timeout: duration(60_000, '1m', 'How long a starting service may take to become healthy before it counts as failed.'),
  },
  'a health check',
);

const metricsSchema = strictObject(
  {
    url: z
      .url({ protocol: /^https?$/, error: (i) => `expected an http(s) URL such as "http://127.0.0.1:5051/metrics", got ${show(i.input)}` })
      .meta({ description: 'Where the service serves Prometheus text.', examples: ['http://127.0.0.1:5051/metrics'] }),
    // At least a second: a bare number is milliseconds, and "interval: 10" would scrape 100 times a second.
    interval: durationMs
      .refine((ms) => ms >= 1000, { error: (i) => `expected ${DURATION_HINT} of at least 1s, got ${show(i.input)}` })
      .default(10_000)
      .meta({ description: 'Time between scrapes (at least 1s). Default 10s.' }),
  },
  'a metrics endpoint',
);

const backoffSchema = strictObject(
  {
    // The first restart is immediate on purpose: most crashes are one-offs, and the user
    // waits for that restart. Backoff only matters once a service fails again and again.
    initial: duration(
      100,
      '100ms',
      'Delay before the second restart in a row. The first restart after a stable run is immediate; from the second on, each waits `initial`, then `factor` times longer.',
    ),
    factor: z
      .number({ error: (i) => `expected a factor (a number of at least 1), got ${show(i.input)}` })
      .min(1, { error: (i) => `expected a factor (a number of at least 1), got ${show(i.input)}` })
      .default(2).meta({ description: 'From the third restart in a row on, each waits this many times longer than the one before. Default 2.' }),
    cap: duration(30_000, '30s', 'The longest delay between restarts.'),
    jitter: fraction('a jitter fraction', 0, 1).default(0.2).meta({ description: 'Random spread of each delay, as a fraction of it. Default 0.2.' }),
  },
  'backoff settings',
);

const restartSchema = strictObject(
  {
    policy: z
      .enum(['always', 'on-failure', 'never'], { error: (i) => `expected "always", "on-failure" or "never", got ${show(i.input)}` })
      .default('always')
      .meta({ description: 'When Vigil restarts the service after it exits. Default always.' }),
    backoff: backoffSchema.prefault({}),
    reset_after: duration(10_000, '10s', 'Uptime after which a service counts as stable again and its backoff starts over (its next restart is immediate).'),
  },
  'restart settings',
);

const crashLoopSchema = strictObject(
  {
    failures: count('a number of failures').default(5).meta({ description: 'This many failures within `window` make the service crash-looping. Default 5.' }),
    window: duration(60_000, '1m', 'The time window in which failures are counted.'),
    cool_off: duration(30_000, '30s', 'How long Vigil waits before it tries a crash-looping service again (it never gives up for good).'),
  },
  'crash loop settings',
);

const stopSchema = strictObject(
  {
    signal: z
      .enum(SIGNALS, { error: (i) => `expected one of ${SIGNALS.join(', ')}, got ${show(i.input)}` })
      .default('SIGTERM')
      .meta({ description: 'The signal that asks the service to stop. Default SIGTERM.' }),
    timeout: duration(5000, '5s', 'After this, the whole process tree gets SIGKILL.'),
  },
  'stop settings',
);

const logsSchema = strictObject(
  {
    max_size: sizeBytes.default(10 * 1024 * 1024).meta({ description: 'Size at which a log file is rotated. Default 10MB.' }),
    files: count('a number of files').default(5).meta({ description: 'Rotated log files kept. Default 5.' }),
  },
  'log settings',
);

const envValue = z.union([z.string(), z.number(), z.boolean()], {
  error: (i) => `expected a string, number or boolean, got ${show(i.input)}`,
});

function commandMessage(input: unknown): string {
  const bad = Array.isArray(input) ? input.find((word) => typeof word !== 'string') : undefined;
  if (bad === undefined) return `expected a list like ["node", "server.js"], got ${show(input)}`;
  const quoted = typeof bad === 'number' || typeof bad === 'boolean' ? ` (write it in quotes: "${bad}")` : '';
  return `expected every word of the command to be a string, got ${show(bad)}${quoted}`;
}

export const serviceSchema = strictObject(
  {
    name: z
      .string({ error: (i) => (i.input === undefined ? 'every service needs a name' : `expected a name, got ${show(i.input)}`) })
      .regex(SERVICE_NAME, { error: (i) => `a name uses letters, digits, "-", "_" and "." and starts with a letter or digit; got ${show(i.input)}` })
      .refine((n) => n !== 'all', { error: '"all" is reserved (the CLI uses it for every service)' })
      .meta({ description: 'Unique across all stack files of the stack.', examples: ['server'] }),
    command: z
      .union([z.array(z.string()).min(1, { error: 'the command needs at least the program' }), z.string().min(1, { error: 'the command is empty' })], {
        error: (i) => commandMessage(i.input),
      })
      .optional()
      .meta({
        description: 'Program and arguments, run without a shell. A string is accepted only with `shell: true`. Without a command the service is watch-only.',
        examples: [['node', 'server.js']],
      }),
    shell: bool.default(false).meta({ description: 'Run a string command through the shell. Default false.' }),
    cwd: z
      .string({ error: (i) => `expected a folder path, got ${show(i.input)}` })
      .optional()
      .meta({ description: 'Working folder, relative to the stack file. Default: the stack file\'s folder.' }),
    env: z
      .record(z.string(), envValue, { error: (i) => `expected a mapping of variable names to values, got ${show(i.input)}` })
      .default({})
      .meta({ description: 'Environment variables added to Vigil\'s own (less the engine\'s secrets: see pass_secrets).' }),
    pass_secrets: z
      .array(
        z
          .string({ error: (i) => `expected a variable name, got ${show(i.input)}` })
          .refine(isEngineSecret, {
            error: (i) =>
              `${show(i.input)} is not one of the engine's secrets (${describeEngineSecrets()}); every other variable of Vigil's environment reaches the service anyway`,
          }),
        { error: (i) => `expected a list of variable names such as [FLY_API_TOKEN], got ${show(i.input)}` },
      )
      .default([])
      .meta({
        description:
          "The engine's secrets this service may see (FLY_API_TOKEN, VIGIL_*_TOKEN, the alert channels' webhook URLs and keys). Vigil keeps them out of every service's environment unless named here.",
        examples: [['FLY_API_TOKEN']],
      }),
    port: portNumber.optional().meta({ description: 'The port the service listens on; gives it a tcp health check by default.' }),
    health: healthSchema.prefault({}).meta({ description: 'How Vigil tells that the service is up: an http request, a tcp connect, or nothing.' }),
    restart: restartSchema.prefault({}).meta({ description: 'When and how fast Vigil restarts the service after it exits.' }),
    crash_loop: crashLoopSchema.prefault({}).meta({ description: 'When a service that keeps failing counts as crash-looping, and the pause before Vigil tries again.' }),
    stop: stopSchema.prefault({}).meta({ description: 'How Vigil stops the service.' }),
    depends_on: z
      .array(z.string({ error: (i) => `expected a service name, got ${show(i.input)}` }), {
        error: (i) => `expected a list of service names such as [server], got ${show(i.input)}`,
      })
      .default([])
      .meta({ description: 'Services that must be healthy before this one starts; they may be declared in another stack file.' }),
    logs: logsSchema.prefault({}).meta({ description: 'Rotation of the service\'s log files.' }),
    metrics: metricsSchema
      .optional()
      .meta({ description: 'A URL where the service serves Prometheus metrics; Vigil scrapes it and keeps those series with its own, labelled service="<name>".' }),
  },
  'a service',
);

export const stackFileSchema = strictObject(
  {
    version: z
      .literal(1, { error: (i) => `the only stack file version is 1, got ${show(i.input)}` })
      .optional()
      .meta({ description: 'The stack file format; 1, the only one so far.' }),
    services: z
      .array(serviceSchema, { error: (i) => `expected a list of services (each "- name: ..."), got ${show(i.input)}` })
      .meta({ description: 'The services of the stack, each started (or watched) and supervised by Vigil.' }),
    tunnels: tunnelsSchema,
    fly: flySchema.optional(),
  },
  'a stack file',
);

export type ServiceSpec = z.output<typeof serviceSchema>;
export type StackFileSpec = z.output<typeof stackFileSchema>;
