// Shared by the tunnel watcher tests: hooks that record what the watcher does, configs with
// short intervals, fake agents and watchers that are stopped after each test, and a way to wait
// for a number of further polls.
import { afterEach } from 'vitest';
import type { NewEvent } from '../../../src/core/event-log.ts';
import { realClock } from '../../../src/core/kit/clock.ts';
import type { SubsystemHooks } from '../../../src/core/subsystem.ts';
import {
  type CloudflaredTunnelConfig,
  type NgrokTunnelConfig,
  resolveTunnelConfig,
  type TunnelConfig,
  tunnelSchema,
} from '../../../src/core/watchers/tunnels/tunnel-config.ts';
import { TunnelWatcher } from '../../../src/core/watchers/tunnels/tunnel-watcher.ts';
import { type FakeCloudflared, startFakeCloudflared } from '../../fixtures/fake-cloudflared.mjs';
import { type FakeNgrokAgent, startFakeNgrokAgent } from '../../fixtures/fake-ngrok-agent.mjs';
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

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

export async function fakeNgrokAgent(): Promise<FakeNgrokAgent> {
  const agent = await startFakeNgrokAgent();
  cleanup.push(() => agent.close());
  return agent;
}

export async function fakeCloudflared(): Promise<FakeCloudflared> {
  const cloudflared = await startFakeCloudflared();
  cleanup.push(() => cloudflared.close());
  return cloudflared;
}

/** A started watcher, stopped after the test. */
export function watch(config: TunnelConfig, hooks: SubsystemHooks): TunnelWatcher {
  const watcher = new TunnelWatcher(config, hooks);
  cleanup.push(() => watcher.stop());
  watcher.start();
  return watcher;
}

/** A stack file entry as the loader resolves it, polled every 50 ms and found nowhere unless
 * the test says where (no discovery ports, no ngrok config file). */
function tunnelConfig(spec: Record<string, unknown>): TunnelConfig {
  return { ...resolveTunnelConfig(tunnelSchema.parse({ interval: 50, timeout: 1000, ...spec })), discoveryPorts: [] };
}

export function ngrokConfig(over: Partial<NgrokTunnelConfig> = {}): NgrokTunnelConfig {
  const config = tunnelConfig({ name: 'public', kind: 'ngrok', config_file: '/nonexistent/ngrok.yml' });
  if (config.kind !== 'ngrok') throw new Error('expected an ngrok config');
  return { ...config, ...over };
}

export function cloudflaredConfig(over: Partial<CloudflaredTunnelConfig> = {}): CloudflaredTunnelConfig {
  const config = tunnelConfig({ name: 'cf', kind: 'cloudflared' });
  if (config.kind !== 'cloudflared') throw new Error('expected a cloudflared config');
  return { ...config, ...over };
}
