// `vigil serve`: the engine, its API and the dashboard in this process, until Ctrl-C.
import type { Command } from 'commander';
import { findDefaultStackFile } from '../../core/config/stack-file-lookup.ts';
import { startServer } from '../../core/serve.ts';
import { VERSION } from '../../core/version.ts';
import { collect, portArg } from '../args.ts';
import type { EngineClient } from '../engine-client.ts';
import { findNpxLaunchers, onLauncherExit } from '../npx-launcher.ts';

export function addServeCommand(program: Command, client: () => EngineClient): void {
  program
    .command('serve')
    .description('run the engine and its local API/dashboard (the demo stack when no stack file is found)')
    .option('-c, --config <file>', 'stack file (repeat for several); default ./vigil.yml', collect, [])
    .option('-p, --port <port>', 'API port on 127.0.0.1 (default 7357)', portArg)
    .option('--no-watch', 'do not reload stack files when they change')
    .action(async (opts: { config: string[]; port?: number; watch: boolean }) => {
      const files = opts.config.length > 0 ? opts.config : [findDefaultStackFile()].filter((f): f is string => f !== null);
      process.title = 'vigil serve';
      const server = await startServer({ files, port: opts.port, watch: opts.watch });
      const token = server.api && process.stdout.isTTY ? `#token=${client().address.token}` : '';
      console.log(`Vigil ${VERSION} supervising ${server.engine.snapshot().services.length} services${files.length ? '' : ' (demo stack)'}`);
      console.log(`Dashboard and API: ${server.url}${token}${token ? '' : ` (token in ${server.engine.paths.token})`}`);
      console.log('Ctrl-C stops Vigil and every service it started.');
      let stoppingSince: number | null = null;
      const quit = (why: string) => {
        if (stoppingSince !== null) {
          // Only a Ctrl-C that a person pressed again escalates: one Ctrl-C can arrive twice
          // (from the terminal and passed on by a launcher), and a SIGHUP comes in pairs.
          if (why !== 'SIGINT' || Date.now() - stoppingSince < 500) return;
          // A second Ctrl-C while the services are being stopped gently: end them now.
          console.log(`\n${why} again: killing every service (SIGKILL)`);
          server.engine.killAllNow();
          process.exit(130);
        }
        stoppingSince = Date.now();
        console.log(`\n${why}: stopping the stack (Ctrl-C again to kill it at once)...`);
        server.stop().then(
          () => process.exit(0),
          (err) => {
            console.error(`error while stopping: ${(err as Error).message}`);
            process.exit(1);
          },
        );
      };
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => quit(signal));
      const launchers = findNpxLaunchers();
      if (launchers.length > 0) onLauncherExit(launchers, (pid) => quit(`npx or its caller (pid ${pid}) exited`));
      // The engine must outlive a bug in one of its parts: report it and keep supervising.
      process.on('uncaughtException', (err) => console.error(`vigil: internal error (still running): ${err.stack ?? err}`));
      process.on('unhandledRejection', (err) => console.error(`vigil: internal error (still running): ${(err as Error)?.stack ?? err}`));
    });
}
