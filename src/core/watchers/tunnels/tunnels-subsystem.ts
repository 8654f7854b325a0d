// The stack's tunnels as a subsystem of the engine: one TunnelWatcher per `tunnels:` entry.
import type { TunnelSnapshot } from '../../../shared/contract.ts';
import type { LoadedStack } from '../../config/stack-file-error.ts';
import { NotFoundError } from '../../not-found-error.ts';
import { reconcile, type RunningPart } from '../../reconcile.ts';
import type { Subsystem, SubsystemHooks } from '../../subsystem.ts';
import type { TunnelConfig } from './tunnel-config.ts';
import type { TunnelWatcher } from './tunnel-watcher.ts';

export class TunnelsSubsystem implements Subsystem<TunnelSnapshot[]> {
  private readonly hooks: SubsystemHooks;
  private readonly watchers = new Map<string, RunningPart<TunnelConfig, TunnelWatcher>>();

  constructor(hooks: SubsystemHooks) {
    this.hooks = hooks;
  }

  apply(stack: LoadedStack): Promise<string[]> {
    return reconcile(this.watchers, stack.tunnels, {
      key: (config) => config.name,
      start: async (config) => {
        // Loaded on demand, like the Fly.io watcher: no tunnels, no tunnel code in memory.
        const { TunnelWatcher } = await import('./tunnel-watcher.ts');
        const watcher = new TunnelWatcher(config, this.hooks);
        watcher.start();
        return watcher;
      },
      stop: (watcher) => watcher.stop(),
    });
  }

  snapshot(): TunnelSnapshot[] {
    return [...this.watchers.values()].map(({ part }) => part.snapshot());
  }

  /** Restarts a tunnel by restarting the service that runs its agent. */
  async restart(name: string): Promise<void> {
    const tunnel = this.watchers.get(name)?.part;
    if (!tunnel) throw new NotFoundError(`no tunnel named "${name}" (tunnels: ${[...this.watchers.keys()].join(', ') || 'none'})`);
    if (!tunnel.config.service) throw new NotFoundError(`tunnel "${name}" names no service that runs its agent (add "service:" to it)`);
    await tunnel.restart();
  }

  async stop(): Promise<void> {
    this.watchers.forEach(({ part }) => part.stop());
  }
}
