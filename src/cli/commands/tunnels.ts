// `vigil tunnels`: the tunnels' public URLs and state.
import type { Command } from 'commander';
import type { StateSnapshot } from '../../shared/contract.ts';
import type { EngineClient } from '../engine-client.ts';

export function addTunnelsCommand(program: Command, client: () => EngineClient): void {
  program
    .command('tunnels')
    .description("print the tunnels' public URLs (one per line) and their state")
    .option('--json', 'print the tunnels as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { tunnels } = await client().get<{ tunnels: StateSnapshot['tunnels'] }>('/api/tunnels');
      if (opts.json) return void console.log(JSON.stringify(tunnels, null, 2));
      if (tunnels.length === 0) return void console.log('no tunnels in the stack file (add a "tunnels:" list)');
      for (const t of tunnels) {
        const urls = t.publicUrls.length > 0 ? t.publicUrls.join(' ') : '(no public URL)';
        console.log(`${t.name}\t${t.state}\t${urls}${t.error ? `\t${t.error}` : ''}`);
      }
      process.exitCode = tunnels.every((t) => t.state === 'up') ? 0 : 1;
    });
}
