// The one reconcile step of every subsystem: compares the parts that run (one per key: a tunnel
// watcher per tunnel name, one Fly.io watcher) with what the stack now asks for, and starts,
// starts over or stops parts to match. A changed part is started over, never patched in place:
// a watcher's timers, connections and discovered addresses belong to the config it began with.
import { isDeepStrictEqual } from 'node:util';

export interface RunningPart<Config, Part> {
  config: Config;
  part: Part;
}

export interface ReconcileSteps<Config, Part> {
  key(config: Config): string;
  /** How a change names the part ("public", "fly my-app"); its key when not given. */
  label?(config: Config): string;
  start(config: Config): Promise<Part>;
  stop(part: Part): void | Promise<void>;
}

/** Brings `running` in line with `wanted`. Returns what changed, one phrase each, in the order
 * it happened: "changed x" and "removed y" first, then "added z". */
export async function reconcile<Config, Part>(
  running: Map<string, RunningPart<Config, Part>>,
  wanted: readonly Config[],
  steps: ReconcileSteps<Config, Part>,
): Promise<string[]> {
  const next = new Map(wanted.map((config) => [steps.key(config), config]));
  const label = (config: Config, key: string) => steps.label?.(config) ?? key;
  const changes: string[] = [];
  const startedOver = new Set<string>();
  for (const [key, current] of running) {
    const config = next.get(key);
    if (config !== undefined && isDeepStrictEqual(config, current.config)) continue;
    await steps.stop(current.part);
    running.delete(key);
    if (config === undefined) {
      changes.push(`removed ${key}`);
    } else {
      startedOver.add(key);
      changes.push(`changed ${label(config, key)}`);
    }
  }
  for (const [key, config] of next) {
    if (running.has(key)) continue;
    if (!startedOver.has(key)) changes.push(`added ${label(config, key)}`);
    running.set(key, { config, part: await steps.start(config) });
  }
  return changes;
}
