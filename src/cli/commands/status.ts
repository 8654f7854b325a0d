// `vigil status`: every service; the exit code says whether the whole stack runs.
import type { Command } from 'commander';
import type { StateSnapshot } from '../../shared/contract.ts';
import type { EngineClient } from '../engine-client.ts';
import { renderStatus } from '../status-table.ts';

export function addStatusCommand(program: Command, client: () => EngineClient): void {
  program
    .command('status')
    .description('show every service; exits 0 only when all are running')
    .option('--json', 'print the state snapshot as JSON')
    .action(async (opts: { json?: boolean }) => {
      const state = await client().get<StateSnapshot>('/api/state');
      console.log(opts.json ? JSON.stringify(state, null, 2) : renderStatus(state, process.stdout.isTTY === true));
      // Healthy means: the stack files load, and every service in them is running.
      const healthy = state.files.every((f) => f.error === null) && state.services.every((s) => s.state === 'running');
      process.exitCode = healthy ? 0 : 1;
    });
}
