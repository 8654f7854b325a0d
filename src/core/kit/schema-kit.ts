// Pieces every part of the stack file schema is built from (services in config/schema.ts,
// tunnels and Fly.io in their watchers' folders): strict objects with a "did you mean",
// durations written for people, and the rule for names. Kept apart from config/ so those parts
// can use them without importing the stack file schema, which imports them.
import { closest, distance } from 'fastest-levenshtein';
import { z } from 'zod';
import { parseDuration } from './units.ts';

export const show = (value: unknown) => JSON.stringify(value) ?? String(value);

/** An object that refuses unknown keys and suggests the nearest known one. `what` names it in
 * the message when the value is not a mapping at all. */
export function strictObject<Shape extends z.ZodRawShape>(shape: Shape, what: string) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'invalid_type') return `expected ${what} (a mapping with keys such as ${known.slice(0, 3).join(', ')}), got ${show(issue.input)}`;
      if (issue.code !== 'unrecognized_keys') return undefined;
      // One line per key: the loader splits them to point at each key's own line.
      return issue.keys.map((key) => unknownKeyMessage(key, known)).join('\n');
    },
  });
}

export function unknownKeyMessage(key: string, known: string[]): string {
  const nearest = nearestName(key, known);
  return nearest ? `unknown key "${key}" (did you mean "${nearest}"?)` : `unknown key "${key}"; expected one of: ${known.join(', ')}`;
}

/** The candidate a typo most likely meant, if one is close enough to suggest. */
export function nearestName(typed: string, candidates: string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const nearest = closest(typed, candidates);
  return distance(typed, nearest) <= Math.max(2, Math.floor(typed.length / 3)) ? nearest : undefined;
}

export const DURATION_HINT = 'a duration such as "500ms", "2s", "1m" or a number of milliseconds (at most 24 days)';

/** Node's timers take at most 2^31-1 ms (about 24.8 days); a longer one would fire at once. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

export const durationMs = z
  .union([z.number(), z.string()], { error: (i) => `expected ${DURATION_HINT}, got ${show(i.input)}` })
  .transform((value, ctx) => {
    const ms = typeof value === 'number' ? value : parseDuration(value);
    if (ms === null || ms < 0 || !Number.isFinite(ms) || ms > MAX_DURATION_MS) {
      ctx.addIssue({ code: 'custom', message: `expected ${DURATION_HINT}, got ${show(value)}` });
      return z.NEVER;
    }
    return ms;
  });

/** A duration with its default; the JSON Schema shows the default as people write it. */
export const duration = (defaultMs: number, written: string, description: string) =>
  durationMs.default(defaultMs).meta({ description: `${description} Default ${written}.` });

/** A duration that must be above zero: a poll interval of 0 would spin. */
export const positiveDuration = (defaultMs: number, written: string, description: string) =>
  durationMs
    .refine((ms) => ms > 0, { error: (i) => `expected ${DURATION_HINT} above 0, got ${show(i.input)}` })
    .default(defaultMs)
    .meta({ description: `${description} Default ${written}.` });

/** Names of services and tunnels: used in URLs, file names and the CLI. */
export const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
