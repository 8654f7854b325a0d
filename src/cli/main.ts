// The `vigil` command. `serve` runs the engine in this process; every other command talks to
// a running engine through its local API (found through VIGIL_HOME). One file per command in
// commands/; this file lists them and turns errors into exit codes.
import { Command, InvalidArgumentError } from 'commander';
import { StackFileError } from '../core/config/stack-file-error.ts';
import { VERSION } from '../core/version.ts';
import { addAutoRestartCommand } from './commands/auto-restart.ts';
import { addConfigCommands } from './commands/config.ts';
import { addEventsCommand } from './commands/events.ts';
import { addFlyCommand } from './commands/fly.ts';
import { addFreePortCommand } from './commands/free-port.ts';
import { addImportCommand } from './commands/import.ts';
import { addLogsCommand } from './commands/logs.ts';
import { addMetricsCommand } from './commands/metrics.ts';
import { addOpenCommand } from './commands/open.ts';
import { addScrapeTokenCommand } from './commands/scrape-token.ts';
import { addServeCommand } from './commands/serve.ts';
import { addServiceActionCommands } from './commands/service-actions.ts';
import { addStatusCommand } from './commands/status.ts';
import { addTopCommand } from './commands/top.ts';
import { addTunnelsCommand } from './commands/tunnels.ts';
import { ApiError, EngineClient, EngineUnreachable } from './engine-client.ts';

const EXIT_NOT_RUNNING = 3;

export function buildProgram(): Command {
  const program = new Command('vigil')
    .description('Starts, supervises and watches your local development stack.')
    .version(VERSION)
    .showHelpAfterError();
  const client = () => new EngineClient();

  for (const add of [
    addServeCommand,
    addStatusCommand,
    addServiceActionCommands,
    addLogsCommand,
    addEventsCommand,
    addMetricsCommand,
    addAutoRestartCommand,
    addTopCommand,
    addTunnelsCommand,
    addFlyCommand,
    addConfigCommands,
    addImportCommand,
    addFreePortCommand,
    addOpenCommand,
    addScrapeTokenCommand,
  ]) {
    add(program, client);
  }
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof EngineUnreachable) {
      console.error(err.message);
      process.exitCode = EXIT_NOT_RUNNING;
    } else if (err instanceof ApiError) {
      console.error(`vigil: ${err.message}`);
      process.exitCode = err.status === 404 ? 4 : 1;
    } else if (err instanceof InvalidArgumentError) {
      console.error(`vigil: ${err.message}`);
      process.exitCode = 2;
    } else if (err instanceof StackFileError) {
      console.error(err.message);
      process.exitCode = 1;
    } else {
      console.error(`vigil: ${(err as Error).message}`);
      process.exitCode = 1;
    }
  }
}
