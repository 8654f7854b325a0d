// `vigil fly [restart <machine|all>]`: the Fly.io app and its machines.
import { type Command, InvalidArgumentError } from 'commander';
import type { ApiRoutes, StateSnapshot } from '../../shared/contract.ts';
import type { EngineClient } from '../engine-client.ts';
import { renderFly } from '../status-table.ts';

export function addFlyCommand(program: Command, client: () => EngineClient): void {
  program
    .command('fly')
    .description('the Fly.io deployment: "vigil fly" shows it, "vigil fly restart <machine|all>" restarts machines')
    .argument('[action]', 'restart')
    .argument('[machine]', 'a machine id, or "all"')
    .action(async (action: string | undefined, machine: string | undefined) => {
      const c = client();
      if (action === undefined) {
        const state = await c.get<StateSnapshot>('/api/state');
        if (!state.fly) return void console.log('no "fly:" section in the stack file');
        return void console.log(renderFly(state, process.stdout.isTTY === true).join('\n').trim());
      }
      if (action !== 'restart' || !machine) throw new InvalidArgumentError('usage: vigil fly restart <machine|all>');
      const { results } = await c.request<ApiRoutes['POST /api/fly/machines/:machine/restart']>('POST', `/api/fly/machines/${encodeURIComponent(machine)}/restart`);
      for (const r of results) console.log(`${r.machine} (${r.name}): ${r.ok ? 'restart requested' : `failed: ${r.error}`}`);
      process.exitCode = results.every((r) => r.ok) ? 0 : 1;
    });
}
