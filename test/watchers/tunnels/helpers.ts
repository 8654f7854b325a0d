// Shared by the tunnel watcher tests: hooks that record what the watcher does, configs with
// short intervals, and a way to wait for a number of further polls.
import { realClock } from '../../../src/core/kit/clock.ts';
import type { NewEvent } from '../../../src/core/event-log.ts';
import type { SubsystemHooks } from '../../../src/core/subsystem.ts';
import type { CloudflaredTunnelConfig, NgrokTunnelConfig } from '../../../src/core/watchers/tunnels/tunnel-config.ts';
import { waitFor } from '../../helpers/stack.ts';

export { freePort, waitFor } from '../../helpers/stack.ts';

export interface RecordingHooks extends SubsystemHooks {
  events: NewEvent[];
  restarts: string[];
  observations: { name: string; value: number; labels: Record<string, string> }[];
  changes: number;
  /** Timers the watcher scheduled so far: one per poll. */
  timers: number;
  auto: boolean;
  onRestart: (service: string) => Promise<void>;
}

export function recordingHooks(): RecordingHooks {
  const hooks: RecordingHooks = {
    events: [],
    restarts: [],
    observations: [],
    changes: 0,
    timers: 0,
    auto: true,
    onRestart: async () => {},
    clock: {
      ...realClock,
      setTimeout: (fn, ms) => {
        hooks.timers++;
        return realClock.setTimeout(fn, ms);
      },
    },
    emit: (event) => {
      hooks.events.push(event);
    },
    changed: () => {
      hooks.changes++;
    },
    autoRestart: () => hooks.auto,
    restartService: async (name) => {
      hooks.restarts.push(name);
      await hooks.onRestart(name);
    },
    observe: (name, value, labels) => {
      hooks.observations.push({ name, value, labels });
    },
  };
  return hooks;
}

export const eventsOf = (hooks: RecordingHooks, type: NewEvent['type']) => hooks.events.filter((e) => e.type === type);

/** Waits until the watcher has scheduled `count` more polls than now. */
export async function morePolls(hooks: RecordingHooks, count: number): Promise<void> {
  const target = hooks.timers + count;
  await waitFor(`${count} more polls`, () => hooks.timers >= target);
}

export function ngrokConfig(over: Partial<NgrokTunnelConfig> = {}): NgrokTunnelConfig {
  return {
    name: 'public',
    kind: 'ngrok',
    api: null,
    expect: [],
    configFile: null,
    service: null,
    probe: null,
    intervalMs: 50,
    timeoutMs: 1000,
    discoveryHost: '127.0.0.1',
    discoveryPorts: [],
    ...over,
  };
}

export function cloudflaredConfig(over: Partial<CloudflaredTunnelConfig> = {}): CloudflaredTunnelConfig {
  return {
    name: 'cf',
    kind: 'cloudflared',
    metrics: null,
    connections: 4,
    service: null,
    probe: null,
    intervalMs: 50,
    timeoutMs: 1000,
    discoveryHost: '127.0.0.1',
    discoveryPorts: [],
    ...over,
  };
}
