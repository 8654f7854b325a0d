// The stack's Fly.io app as a subsystem of the engine: one FlyWatcher while the stack file has
// a `fly:` section, none without.
import type { FlyRestartResult, FlySnapshot } from '../../../shared/contract.ts';
import type { LoadedStack } from '../../config/stack-file-error.ts';
import { NotFoundError } from '../../not-found-error.ts';
import { reconcile, type RunningPart } from '../../reconcile.ts';
import type { Subsystem, SubsystemHooks } from '../../subsystem.ts';
import type { FlyConfig } from './fly-config.ts';
import type { FlyWatcher } from './fly-watcher.ts';

export interface FlySubsystemOptions {
  /** The Fly.io API token, read each time a watcher starts; never from the stack file. */
  token(): string | null;
}

export class FlySubsystem implements Subsystem<FlySnapshot | null> {
  private readonly hooks: SubsystemHooks;
  private readonly options: FlySubsystemOptions;
  /** One entry at most, under the key "fly". */
  private readonly watchers = new Map<string, RunningPart<FlyConfig, FlyWatcher>>();

  constructor(hooks: SubsystemHooks, options: FlySubsystemOptions) {
    this.hooks = hooks;
    this.options = options;
  }

  /** Starts, starts over (when its section changed) or stops watching the Fly.io app. */
  apply(stack: LoadedStack): Promise<string[]> {
    return reconcile(this.watchers, stack.fly ? [stack.fly] : [], {
      key: () => 'fly',
      label: (config) => `fly ${config.app}`,
      start: async (config) => {
        // Loaded on demand: a stack without Fly.io keeps its client and circuit breaker out of memory.
        const { FlyWatcher } = await import('./fly-watcher.ts');
        const watcher = new FlyWatcher(config, this.hooks, { token: this.options.token() });
        watcher.start();
        return watcher;
      },
      stop: (watcher) => watcher.stop(),
    });
  }

  private get watcher(): FlyWatcher | null {
    return this.watchers.get('fly')?.part ?? null;
  }

  snapshot(): FlySnapshot | null {
    return this.watcher?.snapshot() ?? null;
  }

  /** Asks Fly.io to restart one machine, or "all"; one result per machine asked. */
  async restartMachine(machine: string): Promise<FlyRestartResult[]> {
    if (!this.watcher) throw new NotFoundError(`cannot restart "${machine}": the stack file has no "fly:" section`);
    return this.watcher.restartMachine(machine);
  }

  async stop(): Promise<void> {
    await this.watcher?.stop();
  }
}
