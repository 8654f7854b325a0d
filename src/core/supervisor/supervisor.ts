// The stack's services as a whole: applies a (re)loaded stack, starts in dependency order,
// stops dependents before what they depend on.
import { isDeepStrictEqual } from 'node:util';
import type { ServiceConfig } from '../config/service-config.ts';
import { signalGroup } from './process-tree.ts';
import { editNeedsRestart } from './service-definition.ts';
import { type RunnerHooks, ServiceRunner } from './service-runner.ts';

/** What every runner gets (see RunnerHooks), and a call after any service's state change. */
export interface SupervisorOptions extends Omit<RunnerHooks, 'unmetDependencies' | 'changed'> {
  onChange(): void;
}

export interface ApplyResult {
  added: string[];
  /** Restarted under their new definition. */
  changed: string[];
  /** Changed only in settings taken without a restart (editNeedsRestart): left running. */
  updated: string[];
  removed: string[];
  unchanged: string[];
}

export class UnknownServiceError extends Error {
  constructor(name: string, known: string[]) {
    super(`no service named "${name}" (services: ${known.join(', ') || 'none'})`);
    this.name = 'UnknownServiceError';
  }
}

export class Supervisor {
  private readonly runners = new Map<string, ServiceRunner>();
  private readonly options: SupervisorOptions;

  constructor(options: SupervisorOptions) {
    this.options = options;
  }

  get services(): ServiceRunner[] {
    return [...this.runners.values()];
  }

  get(name: string): ServiceRunner {
    const runner = this.runners.get(name);
    if (!runner) throw new UnknownServiceError(name, [...this.runners.keys()]);
    return runner;
  }

  /** Makes the running stack match `services`: new ones start, changed ones restart (unless
   * only their metrics: changed), removed ones stop, untouched ones are left alone. */
  async apply(services: ServiceConfig[]): Promise<ApplyResult> {
    const result: ApplyResult = { added: [], changed: [], updated: [], removed: [], unchanged: [] };
    const next = new Map(services.map((s) => [s.name, s]));
    const removed = this.services.filter((r) => !next.has(r.name));
    await Promise.all(
      removed.map(async (runner) => {
        await runner.dispose();
        this.runners.delete(runner.name);
        result.removed.push(runner.name);
      }),
    );
    const toStart: ServiceRunner[] = [];
    const reconfigures: Promise<void>[] = [];
    for (const config of services) {
      const existing = this.runners.get(config.name);
      if (!existing) {
        const runner = this.createRunner(config);
        this.runners.set(config.name, runner);
        toStart.push(runner);
        result.added.push(config.name);
      } else if (isDeepStrictEqual(existing.config, config)) {
        result.unchanged.push(config.name);
      } else if (editNeedsRestart(existing.config, config)) {
        reconfigures.push(existing.reconfigure(config));
        result.changed.push(config.name);
      } else {
        existing.updateInPlace(config);
        result.updated.push(config.name);
      }
    }
    await Promise.all(reconfigures);
    toStart.forEach((runner) => runner.start());
    return result;
  }

  private createRunner(config: ServiceConfig): ServiceRunner {
    const { onChange, ...shared } = this.options;
    return new ServiceRunner(config, {
      ...shared,
      unmetDependencies: (c) => c.dependsOn.filter((dep) => !this.runners.get(dep)?.isHealthy),
      changed: (runner) => {
        if (runner.isHealthy) {
          for (const other of this.runners.values()) {
            if (other.config.dependsOn.includes(runner.name)) other.dependencyReady();
          }
        }
        onChange();
      },
    });
  }

  /** `name` may be "all". Returns the services acted on. */
  async act(name: string, action: 'start' | 'stop' | 'restart'): Promise<string[]> {
    const targets = name === 'all' ? this.services : [this.get(name)];
    if (action === 'stop') {
      await this.stopInOrder(targets);
    } else if (action === 'start') {
      targets.forEach((r) => r.start());
    } else {
      // Stop dependents first, then start all: each start waits for its dependencies again.
      await this.stopInOrder(targets);
      targets.forEach((r) => r.startAgain());
    }
    return targets.map((r) => r.name);
  }

  /** Stops dependents before their dependencies, each layer in parallel. */
  private async stopInOrder(targets: ServiceRunner[]): Promise<void> {
    const remaining = new Set(targets);
    while (remaining.size > 0) {
      const layer = [...remaining].filter(
        (r) => ![...remaining].some((other) => other !== r && other.config.dependsOn.includes(r.name)),
      );
      const batch = layer.length > 0 ? layer : [...remaining]; // a cycle cannot pass validation, but never hang
      await Promise.all(batch.map((r) => r.stop('user')));
      batch.forEach((r) => remaining.delete(r));
    }
  }

  /** SIGKILL to every service's process group, at once: the way out when a gentle stop takes
   * too long for the user. Watch-only services are not Vigil's to kill. */
  killAllNow(): void {
    for (const runner of this.runners.values()) {
      const { pid, watchOnly } = runner.snapshot(false, null);
      if (pid !== null && !watchOnly) signalGroup(pid, 'SIGKILL');
    }
  }

  async shutdown(): Promise<void> {
    await this.stopInOrder(this.services);
    await Promise.all(this.services.map((r) => r.close()));
  }
}
