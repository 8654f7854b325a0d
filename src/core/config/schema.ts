// The stack file's schema (vigil.yml). Every key has a default except a service's name (and
// command, for a service Vigil runs); unknown keys are errors with a "did you mean".
// `npm run schema` writes the JSON Schema for editors from this file.
import { closest, distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { parseDuration, parseSize } from './units.ts';

/** An object that refuses unknown keys and suggests the nearest known one. */
function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      // One line per key: the loader splits them to point at each key's own line.
      return issue.keys.map((key) => unknownKeyMessage(key, known)).join('\n');
    },
  });
}

export function unknownKeyMessage(key: string, known: string[]): string {
  const nearest = known.length > 0 ? closest(key, known) : undefined;
  const close = nearest !== undefined && distance(key, nearest) <= Math.max(2, Math.floor(key.length / 3));
  return close
    ? `unknown key "${key}" (did you mean "${nearest}"?)`
    : `unknown key "${key}"; expected one of: ${known.join(', ')}`;
}

const show = (value: unknown) => JSON.stringify(value) ?? String(value);

const durationMs = z
  .union([z.number(), z.string()], { error: (i) => `expected a duration such as "500ms", "2s" or "1m", got ${show(i.input)}` })
  .transform((value, ctx) => {
    const ms = typeof value === 'number' ? value : parseDuration(value);
    if (ms === null || ms < 0 || !Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: `expected a duration such as "500ms", "2s" or "1m", got ${show(value)}` });
      return z.NEVER;
    }
    return ms;
  });

const sizeBytes = z
  .union([z.number(), z.string()], { error: (i) => `expected a size such as "10MB" or "512KB", got ${show(i.input)}` })
  .transform((value, ctx) => {
    const bytes = typeof value === 'number' ? value : parseSize(value);
    if (bytes === null || bytes <= 0) {
      ctx.addIssue({ code: 'custom', message: `expected a size such as "10MB" or "512KB", got ${show(value)}` });
      return z.NEVER;
    }
    return bytes;
  });

const count = (what: string, min = 1) =>
  z.number({ error: (i) => `expected ${what} (a whole number), got ${show(i.input)}` }).int().min(min);

export const portNumber = z
  .number({ error: (i) => `expected a port number (1-65535), got ${show(i.input)}` })
  .int({ error: 'expected a whole port number (1-65535)' })
  .min(1, { error: 'expected a port number (1-65535)' })
  .max(65535, { error: 'expected a port number (1-65535)' });

export const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGKILL'] as const;

const healthSchema = strictObject({
  /** Default: http when url or path is set, tcp when the service has a port, else none. */
  type: z.enum(['http', 'tcp', 'none'], { error: (i) => `expected "http", "tcp" or "none", got ${show(i.input)}` }).optional(),
  url: z.url({ error: 'expected an http(s) URL such as "http://127.0.0.1:5051/health"' }).optional(),
  /** With the service's port: http://127.0.0.1:<port><path>. */
  path: z.string().startsWith('/', { error: 'expected a path starting with "/"' }).optional(),
  /** The status the URL must answer with; default any 2xx. */
  status: z.number().int().min(100).max(599).optional(),
  timeout: durationMs.default(1000),
  interval: durationMs.default(1000),
  failures: count('a number of failed checks').default(3),
  /** How long a starting service may take to become healthy before it counts as failed. */
  start_timeout: durationMs.default(60_000),
});

const backoffSchema = strictObject({
  initial: durationMs.default(100),
  factor: z.number().min(1, { error: 'expected a factor of at least 1' }).default(2),
  cap: durationMs.default(30_000),
  jitter: z.number().min(0).max(1, { error: 'expected a jitter fraction between 0 and 1' }).default(0.2),
});

const restartSchema = strictObject({
  policy: z
    .enum(['always', 'on-failure', 'never'], { error: (i) => `expected "always", "on-failure" or "never", got ${show(i.input)}` })
    .default('always'),
  backoff: backoffSchema.prefault({}),
  /** Uptime after which a service counts as stable again and its backoff starts over. */
  reset_after: durationMs.default(10_000),
});

const crashLoopSchema = strictObject({
  /** This many failures within `window` make the service crash-looping... */
  failures: count('a number of failures').default(5),
  window: durationMs.default(60_000),
  /** ...and Vigil waits this long before it tries again (it never gives up for good). */
  cool_off: durationMs.default(30_000),
});

const stopSchema = strictObject({
  signal: z.enum(SIGNALS, { error: (i) => `expected a signal such as "SIGTERM" or "SIGINT", got ${show(i.input)}` }).default('SIGTERM'),
  /** After this, the whole process tree gets SIGKILL. */
  timeout: durationMs.default(5000),
});

const logsSchema = strictObject({
  max_size: sizeBytes.default(10 * 1024 * 1024),
  files: count('a number of files').default(5),
});

const envValue = z.union([z.string(), z.number(), z.boolean()], {
  error: (i) => `expected a string, number or boolean, got ${show(i.input)}`,
});

export const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export const serviceSchema = strictObject({
  name: z
    .string({ error: (i) => (i.input === undefined ? 'every service needs a name' : `expected a name, got ${show(i.input)}`) })
    .regex(SERVICE_NAME, { error: 'a name uses letters, digits, "-", "_" and "." and starts with a letter or digit' })
    .refine((n) => n !== 'all', { error: '"all" is reserved (the CLI uses it for every service)' }),
  /** Program and arguments, run without a shell. A string is accepted only with `shell: true`. */
  command: z
    .union([z.array(z.string()).min(1, { error: 'the command needs at least the program' }), z.string().min(1)], {
      error: (i) => `expected a list like ["node", "server.js"], got ${show(i.input)}`,
    })
    .optional(),
  shell: z.boolean().default(false),
  cwd: z.string().optional(),
  env: z.record(z.string(), envValue).default({}),
  port: portNumber.optional(),
  health: healthSchema.prefault({}),
  restart: restartSchema.prefault({}),
  crash_loop: crashLoopSchema.prefault({}),
  stop: stopSchema.prefault({}),
  depends_on: z.array(z.string(), { error: (i) => `expected a list of service names, got ${show(i.input)}` }).default([]),
  logs: logsSchema.prefault({}),
});

export const stackFileSchema = strictObject({
  version: z.literal(1, { error: 'the only stack file version is 1' }).optional(),
  services: z.array(serviceSchema, { error: (i) => `expected a list of services (each "- name: ..."), got ${show(i.input)}` }),
});

export type ServiceSpec = z.output<typeof serviceSchema>;
export type StackFileSpec = z.output<typeof stackFileSchema>;
