// The reconcile step every subsystem uses to follow the stack (src/core/reconcile.ts): what it
// starts, starts over and stops, and how it says so in the config.applied event.
import { describe, expect, it } from 'vitest';
import { reconcile, type RunningPart } from '../../src/core/reconcile.ts';

interface Config {
  name: string;
  port: number;
}

/** Parts that record their life: "start a:1", "stop a:1" (name:port). */
function recorder() {
  const log: string[] = [];
  const running = new Map<string, RunningPart<Config, string>>();
  const steps = {
    key: (c: Config) => c.name,
    start: async (c: Config) => {
      log.push(`start ${c.name}:${c.port}`);
      return `${c.name}:${c.port}`;
    },
    stop: async (part: string) => {
      await new Promise((r) => setTimeout(r, 5)); // a stop that takes a moment, like the Fly.io watcher's
      log.push(`stop ${part}`);
    },
  };
  return { log, running, apply: (configs: Config[]) => reconcile(running, configs, steps) };
}

describe('reconcile', () => {
  it('starts what is new, leaves what is the same, starts over what changed, stops what left', async () => {
    const r = recorder();
    expect(await r.apply([{ name: 'a', port: 1 }, { name: 'b', port: 2 }])).toEqual(['added a', 'added b']);
    expect(r.log.splice(0)).toEqual(['start a:1', 'start b:2']);

    expect(await r.apply([{ name: 'a', port: 1 }, { name: 'b', port: 2 }])).toEqual([]);
    expect(r.log).toEqual([]);

    expect(await r.apply([{ name: 'a', port: 9 }, { name: 'c', port: 3 }])).toEqual(['changed a', 'removed b', 'added c']);
    // The old part is stopped before its replacement starts: both would hold the same resources.
    expect(r.log.splice(0)).toEqual(['stop a:1', 'stop b:2', 'start a:9', 'start c:3']);
    expect([...r.running.values()].map((p) => p.part)).toEqual(['a:9', 'c:3']);

    expect(await r.apply([])).toEqual(['removed a', 'removed c']);
    expect(r.log).toEqual(['stop a:9', 'stop c:3']);
    expect(r.running.size).toBe(0);
  });

  it('names a part by its label when it has one, and by its key when it leaves', async () => {
    const running = new Map<string, RunningPart<{ app: string }, string>>();
    const steps = { key: () => 'fly', label: (c: { app: string }) => `fly ${c.app}`, start: async (c: { app: string }) => c.app, stop: () => {} };
    expect(await reconcile(running, [{ app: 'one' }], steps)).toEqual(['added fly one']);
    expect(await reconcile(running, [{ app: 'two' }], steps)).toEqual(['changed fly two']);
    expect(running.get('fly')?.part).toBe('two');
    expect(await reconcile(running, [], steps)).toEqual(['removed fly']);
  });
});
