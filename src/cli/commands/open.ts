// `vigil open`: the dashboard address with its token.
import type { Command } from 'commander';
import type { EngineClient } from '../engine-client.ts';

export function addOpenCommand(program: Command, client: () => EngineClient): void {
  program
    .command('open')
    .description('print the dashboard address with its sign-in token')
    .action(async () => {
      const c = client();
      await c.get('/health');
      console.log(`${c.baseUrl}/#token=${c.address.token}`);
    });
}
