// Which of a service's settings shape its process, and which Vigil only applies around it.
// The runner spawns from `spawnDefinition(config)` and nothing else, and a recorded process is
// judged by the same definition (see definition-fingerprint.ts): so whatever reaches the
// spawn is compared when an engine adopts a process, and nothing else is. The same table says
// which settings a live edit restarts the service for (editNeedsRestart).
import { isDeepStrictEqual } from 'node:util';
import type { ServiceConfig } from '../config/service-config.ts';

/** Every key of a service, placed (the type makes a new key choose): `shapesProcess` when a
 * process started under another value is not the process the file now describes;
 * `restartsOnEdit` when a live edit of it restarts the service (every setting but those only
 * other parts of the engine read, from the runner's config as they go); `label` is the
 * stack-file key that names it to the user. */
export const SERVICE_SETTINGS = {
  command: { shapesProcess: true, restartsOnEdit: true, label: 'command' }, // program, args and the shell switch
  cwd: { shapesProcess: true, restartsOnEdit: true, label: 'cwd' },
  // As written in the stack file. The engine's own environment is not the definition's: an
  // engine started from another shell would otherwise restart every service it finds.
  env: { shapesProcess: true, restartsOnEdit: true, label: 'env' },
  // Which of the engine's secrets join that environment (service-environment.ts).
  passSecrets: { shapesProcess: true, restartsOnEdit: true, label: 'pass_secrets' },
  // Not passed to the process, but what Vigil expects it to hold; a live edit restarts for
  // it, and a process started for the old port would hold the wrong one (or none).
  port: { shapesProcess: true, restartsOnEdit: true, label: 'port' },
  name: { shapesProcess: false, restartsOnEdit: true, label: 'name' }, // identity: records are filed under it
  file: { shapesProcess: false, restartsOnEdit: true, label: 'file' }, // where it is written; the cwd resolved from it is compared
  // The rest is Vigil's side: checks, restart decisions, how a stop is sent, log files. A
  // new engine applies the new values to the process it adopts.
  health: { shapesProcess: false, restartsOnEdit: true, label: 'health' },
  healthTiming: { shapesProcess: false, restartsOnEdit: true, label: 'health' },
  restart: { shapesProcess: false, restartsOnEdit: true, label: 'restart' },
  crashLoop: { shapesProcess: false, restartsOnEdit: true, label: 'crash_loop' },
  stop: { shapesProcess: false, restartsOnEdit: true, label: 'stop' },
  dependsOn: { shapesProcess: false, restartsOnEdit: true, label: 'depends_on' },
  logs: { shapesProcess: false, restartsOnEdit: true, label: 'logs' },
  // Where Vigil scrapes the service's own metrics: read by the sampler from the runner's
  // config, never by the process, so an edit needs no restart.
  metrics: { shapesProcess: false, restartsOnEdit: false, label: 'metrics' },
} as const satisfies Record<keyof ServiceConfig, { shapesProcess: boolean; restartsOnEdit: boolean; label: string }>;

type Settings = typeof SERVICE_SETTINGS;
type ShapingKey = { [K in keyof Settings]: Settings[K]['shapesProcess'] extends true ? K : never }[keyof Settings];

/** What the runner hands to spawn (and expects of the process): only the shaping settings. */
export type SpawnDefinition = Pick<ServiceConfig, ShapingKey>;

const SHAPING_KEYS = (Object.keys(SERVICE_SETTINGS) as (keyof Settings)[]).filter((key) => SERVICE_SETTINGS[key].shapesProcess) as ShapingKey[];

export function spawnDefinition(config: ServiceConfig): SpawnDefinition {
  return Object.fromEntries(SHAPING_KEYS.map((key) => [key, config[key]])) as SpawnDefinition;
}

/** Each shaping setting as the named fields a user recognises, so a change can be told by
 * name: `command` (program and args), `shell`, `cwd`, `env.NAME` for each variable,
 * `pass_secrets`, `port`. */
const FIELDS: { [K in ShapingKey]: (value: SpawnDefinition[K]) => Record<string, unknown> } = {
  command: (command) => ({ command: command && [command.program, ...command.args], shell: command?.shell ?? false }),
  cwd: (cwd) => ({ cwd }),
  env: (env) => Object.fromEntries(Object.entries(env).map(([name, value]) => [`env.${name}`, value])),
  passSecrets: (names) => ({ pass_secrets: [...names].sort() }),
  port: (port) => ({ port }),
};

/** The definition's fields, grouped by the setting they come from. */
export function definitionFields(definition: SpawnDefinition): Record<ShapingKey, Record<string, unknown>> {
  const fields = (key: ShapingKey) => (FIELDS[key] as (value: unknown) => Record<string, unknown>)(definition[key]);
  return Object.fromEntries(SHAPING_KEYS.map((key) => [key, fields(key)])) as Record<ShapingKey, Record<string, unknown>>;
}

/** The names of the fields whose values differ between two field maps (added and removed ones included). */
export function differingFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => !(name in before && name in after && isDeepStrictEqual(before[name], after[name])));
}

/** A live edit: what changed between two definitions of a service, by name, sorted. */
export function changedSettings(before: ServiceConfig, after: ServiceConfig): string[] {
  const [old, now] = [definitionFields(spawnDefinition(before)), definitionFields(spawnDefinition(after))];
  const changed = new Set(SHAPING_KEYS.flatMap((key) => differingFields(old[key], now[key])));
  for (const key of Object.keys(SERVICE_SETTINGS) as (keyof Settings)[]) {
    if (!SERVICE_SETTINGS[key].shapesProcess && !isDeepStrictEqual(before[key], after[key])) changed.add(SERVICE_SETTINGS[key].label);
  }
  return [...changed].sort();
}

/** A live edit from `before` to `after` changes a setting the service restarts for. */
export function editNeedsRestart(before: ServiceConfig, after: ServiceConfig): boolean {
  const keys = Object.keys(SERVICE_SETTINGS) as (keyof Settings)[];
  return keys.some((key) => SERVICE_SETTINGS[key].restartsOnEdit && !isDeepStrictEqual(before[key], after[key]));
}
