// `vigil top`: a live view of the stack in the terminal (services with CPU and memory
// sparklines, tunnels, Fly.io, the machine), or with --summary the same once as JSON.
import { type Command, InvalidArgumentError } from 'commander';
import type { EngineClient } from '../engine-client.ts';

const REFRESH_MIN_S = 0.2;
const REFRESH_MAX_S = 3600;

function refreshArg(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < REFRESH_MIN_S || seconds > REFRESH_MAX_S) {
    throw new InvalidArgumentError(`expected seconds between ${REFRESH_MIN_S} and ${REFRESH_MAX_S}`);
  }
  return seconds;
}

export function addTopCommand(program: Command, client: () => EngineClient): void {
  program
    .command('top')
    .description('live view of services (CPU and memory sparklines), tunnels, Fly.io and the machine; q quits')
    .option('--refresh <seconds>', 'redraw every SECONDS', refreshArg, 1)
    .option('--summary', 'print the current metrics once as JSON and exit')
    .action(async (opts: { refresh: number; summary?: boolean }) => {
      // Loaded on demand: no other command needs the screen code.
      const top = await import('../top/run-top.ts');
      const options = { refreshMs: Math.round(opts.refresh * 1000), client };
      if (opts.summary) return top.printSummary(options);
      // Not a terminal (a pipe, a file): one frame, plain text, as wide as COLUMNS says.
      if (!process.stdout.isTTY) return top.printFrame(options, Number(process.env.COLUMNS) || 80);
      await top.runTop(options);
      // Nothing of the screen is left to wait for (a restart still on its way, say).
      process.exit(0);
    });
}
