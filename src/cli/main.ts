// The `vigil` command. `serve` runs the engine in this process; every other command talks to
// a running engine through its local API (found through VIGIL_HOME).
import { createInterface } from 'node:readline/promises';
import { Command, InvalidArgumentError } from 'commander';
import { WebSocket } from 'ws';
import { formatIssue, StackFileError } from '../core/config/stack-file-error.ts';
import { findPortHolder } from '../core/supervisor/port-holder.ts';
import { terminateProcess } from '../core/supervisor/process-tree.ts';
import { findDefaultStackFile } from '../core/config/stack-file-lookup.ts';
import { startServer } from '../core/serve.ts';
import { VERSION } from '../core/version.ts';
import type { ApiRoutes, EngineEvent, FreePortResult, LiveMessage, LogLine, StateSnapshot } from '../shared/contract.ts';
import { ApiError, EngineClient, EngineUnreachable } from './engine-client.ts';
import { findNpxLaunchers, onLauncherExit } from './npx-launcher.ts';
import { renderFly, renderStatus } from './status-table.ts';

const EXIT_NOT_RUNNING = 3;

function portArg(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidArgumentError('expected a port number (1-65535)');
  return port;
}

function countArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number above 0');
  return n;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function formatEvent(e: EngineEvent): string {
  const time = e.time.slice(11, 23);
  const who = e.service ? `${e.service}: ` : '';
  const transition = e.from && e.to && e.from !== e.to ? `${e.from} -> ${e.to}` : '';
  const text = transition && e.message !== e.to ? `${transition} (${e.message})` : transition || e.message;
  return `${time} ${e.type.padEnd(16)} ${who}${text}`;
}

function formatLog(line: LogLine, service: string): string {
  return `${line.time.slice(11, 23)} ${service} ${line.stream === 'stderr' ? 'err' : line.stream === 'vigil' ? '***' : 'out'} | ${line.text}`;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(`${question} [y/N] `);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

export function buildProgram(): Command {
  const program = new Command('vigil')
    .description('Starts, supervises and watches your local development stack.')
    .version(VERSION)
    .showHelpAfterError();
  const client = () => new EngineClient();

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

  for (const action of ['start', 'stop', 'restart'] as const) {
    program
      .command(`${action} <service>`)
      .description(`${action} a service, or "all"`)
      .action(async (service: string) => {
        const result = await client().request<{ services: string[] }>('POST', `/api/services/${encodeURIComponent(service)}/${action}`);
        const verb = { start: 'starting', stop: 'stopped', restart: 'restarted' }[action];
        console.log(`${verb}: ${result.services.join(', ')}`);
      });
  }

  program
    .command('logs <service>')
    .description("print a service's recent output")
    .option('-n, --lines <n>', 'how many lines', countArg, 100)
    .option('-f, --follow', 'keep printing new lines')
    .action(async (service: string, opts: { lines: number; follow?: boolean }) => {
      const c = client();
      const path = `/api/services/${encodeURIComponent(service)}/logs`;
      let { lines } = await c.get<{ lines: LogLine[] }>(`${path}?n=${opts.lines}`);
      lines.forEach((l) => console.log(formatLog(l, service)));
      if (!opts.follow) return;
      let after = lines.at(-1)?.seq ?? 0;
      for (;;) {
        await new Promise((r) => setTimeout(r, 500));
        ({ lines } = await c.get<{ lines: LogLine[] }>(`${path}?n=1000&after=${after}`));
        lines.forEach((l) => console.log(formatLog(l, service)));
        after = lines.at(-1)?.seq ?? after;
      }
    });

  program
    .command('events')
    .description('print recent events (state changes, exits, config reloads)')
    .option('-f, --follow', 'keep printing events as they happen')
    .option('--json', 'one JSON object per line')
    .option('-n, --lines <n>', 'how many recent events', countArg, 50)
    .action(async (opts: { follow?: boolean; json?: boolean; lines: number }) => {
      const c = client();
      const print = (e: EngineEvent) => console.log(opts.json ? JSON.stringify(e) : formatEvent(e));
      const { events } = await c.get<{ events: EngineEvent[] }>(`/api/events?limit=${opts.lines}`);
      events.forEach(print);
      if (!opts.follow) return;
      const lastId = events.at(-1)?.id ?? 0;
      await new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(c.liveUrl(), { headers: { authorization: `Bearer ${c.address.token}` } });
        ws.on('message', (data) => {
          const message = JSON.parse(String(data)) as LiveMessage;
          if (message.kind === 'event' && message.event.id > lastId) print(message.event);
        });
        ws.on('close', () => resolve());
        ws.on('error', (err) => reject(new EngineUnreachable(`lost the engine: ${err.message}`)));
      });
    });

  program
    .command('auto-restart <on|off|default> [service]')
    .description('switch auto-restart for the stack, or override it for one service ("default" clears the override)')
    .action(async (value: string, service: string | undefined) => {
      const enabled = value === 'on' ? true : value === 'off' ? false : value === 'default' && service ? null : undefined;
      if (enabled === undefined) throw new InvalidArgumentError('expected "on" or "off" (or "default" with a service)');
      const state = await client().request<StateSnapshot>('PUT', '/api/auto-restart', { enabled, ...(service ? { service } : {}) });
      const target = service ? state.services.find((s) => s.name === service) : null;
      console.log(target ? `auto-restart for ${service}: ${target.autoRestart ? 'on' : 'off'}` : `auto-restart: ${state.autoRestart ? 'on' : 'off'}`);
    });

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

  const config = program.command('config').description('stack file tools');
  config
    .command('check [files...]')
    .description('validate stack files (default ./vigil.yml) and report every problem with file:line')
    .action(async (files: string[]) => {
      const targets = files.length > 0 ? files : ['vigil.yml'];
      // Loaded on demand: `vigil serve` never needs the parser and schema in its own process.
      const { loadStack } = await import('../core/config/load-stack.ts');
      try {
        const stack = await loadStack(targets);
        console.log(`${targets.join(', ')}: OK, ${stack.services.length} services (${stack.services.map((s) => s.name).join(', ')})`);
      } catch (err) {
        if (!(err instanceof StackFileError)) throw err;
        err.issues.forEach((i) => console.error(formatIssue(i)));
        process.exitCode = 1;
      }
    });

  program
    .command('import <file>')
    .description('write a vigil.yml from a Procfile or a PM2 ecosystem.config.js')
    .option('-o, --output <file>', 'where to write ("-" for stdout)', 'vigil.yml')
    .option('--force', 'overwrite the output file if it exists')
    .action(async (file: string, opts: { output: string; force?: boolean }) => {
      const { importServices, renderStackYaml, writeStackFile } = await import('../core/config/importers/imported-stack.ts');
      const { kind, services } = await importServices(file);
      const yaml = renderStackYaml(services, file);
      if (opts.output === '-') return void process.stdout.write(yaml);
      writeStackFile(opts.output, yaml, opts.force === true);
      console.log(`imported ${services.length} services from ${kind} ${file} into ${opts.output}`);
    });

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

  program
    .command('open')
    .description('print the dashboard address with its sign-in token')
    .action(async () => {
      const c = client();
      await c.get('/health');
      console.log(`${c.baseUrl}/#token=${c.address.token}`);
    });

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
