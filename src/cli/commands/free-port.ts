// `vigil free-port <port>`: what holds a port, and stopping it (through the engine when one
// runs, so that a service waiting for the port starts).
import { createInterface } from 'node:readline/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { findPortHolder } from '../../core/supervisor/port-holder.ts';
import { terminateProcess } from '../../core/supervisor/process-tree.ts';
import type { FreePortResult } from '../../shared/contract.ts';
import { portArg } from '../args.ts';
import { type EngineClient, EngineUnreachable } from '../engine-client.ts';

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(`${question} [y/N] `);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

export function addFreePortCommand(program: Command, client: () => EngineClient): void {
  program
    .command('free-port <port>')
    .description('show what holds a port, and stop it (asks first unless --yes)')
    .option('-y, --yes', 'do not ask before stopping the holder')
    .action(async (portText: string, opts: { yes?: boolean }) => {
      const port = portArg(portText);
      const c = client();
      let viaEngine = true;
      let holder: FreePortResult['holder'];
      try {
        holder = (await c.get<FreePortResult>(`/api/ports/${port}`)).holder;
      } catch (err) {
        if (!(err instanceof EngineUnreachable)) throw err;
        viaEngine = false;
        holder = await findPortHolder(port);
      }
      if (!holder) return void console.log(`port ${port} is free (or its holder is not visible to this user)`);
      console.log(`port ${port} is held by pid ${holder.pid}: ${holder.command}`);
      if (!opts.yes) {
        if (!process.stdin.isTTY) throw new InvalidArgumentError('not stopping it without --yes (no terminal to ask)');
        if (!(await confirm(`Stop pid ${holder.pid}?`))) return;
      }
      if (viaEngine) await c.request<FreePortResult>('POST', `/api/ports/${port}/free`);
      else await terminateProcess(holder.pid);
      console.log(`stopped pid ${holder.pid}; port ${port} is free`);
    });
}
