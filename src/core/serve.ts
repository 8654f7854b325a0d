// `vigil serve`: the engine with its HTTP/WebSocket API in front, until Ctrl-C. On the way
// out it stops every service, so nothing of the stack is left behind.
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_API_PORT } from '../shared/contract.ts';
import { Engine } from './engine.ts';
import { packageRoot, type VigilPaths, vigilPaths } from './paths.ts';
import { ApiServer } from './server/api-server.ts';
import { ScrapeToken } from './server/prometheus/scrape-token.ts';
import { loadOrCreateToken } from './server/token.ts';
import { readJsonFile, writeJsonFile } from './kit/json-file.ts';
import { ensureVigilHome } from './private-files.ts';
import { commandLineOf } from './supervisor/port-holder.ts';
import { isAlive } from './supervisor/process-tree.ts';

export interface ServeOptions {
  files: string[];
  port?: number;
  watch?: boolean;
  paths?: VigilPaths;
  /** Where progress lines go (stdout by default). */
  print?: (line: string) => void;
}

export interface RunningServer {
  engine: Engine;
  api: ApiServer;
  url: string;
  stop(): Promise<void>;
}

export function dashboardDir(): string | undefined {
  const dir = path.join(packageRoot(), 'dist', 'renderer');
  return existsSync(path.join(dir, 'index.html')) ? dir : undefined;
}

/** Two engines on one data folder would fight over the same services (each adopting the
 * other's processes): the second one refuses to start. */
async function refuseSecondEngine(paths: VigilPaths): Promise<void> {
  const other = readJsonFile<{ pid?: number; port?: number }>(paths.engine, {});
  if (!other.pid || other.pid === process.pid || !isAlive(other.pid)) return;
  // The record outlives an engine that was killed; its pid may now be someone else's.
  const command = await commandLineOf(other.pid);
  if (command !== null && !/vigil|node|electron/i.test(command)) return;
  throw new Error(
    `another Vigil engine (pid ${other.pid}, port ${other.port}) already runs with VIGIL_HOME=${paths.home}; stop it first, or set VIGIL_HOME to another folder`,
  );
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const paths = options.paths ?? vigilPaths();
  const print = options.print ?? ((line: string) => console.log(line));
  // Before anything in it is read or written: a folder others can write to is refused.
  ensureVigilHome(paths.home);
  await refuseSecondEngine(paths);
  const { token, replacedBecause } = loadOrCreateToken(paths.token);
  if (replacedBecause) print(replacedBecause);
  // Made now, so that a Prometheus pointed at the file finds it before its first scrape.
  const scrapeToken = new ScrapeToken(paths.scrapeToken);
  const scrapeTokenReplaced = scrapeToken.load().replacedBecause;
  if (scrapeTokenReplaced) print(scrapeTokenReplaced);
  const engine = new Engine({ files: options.files, paths, watch: options.watch });
  const scrape = { token: () => scrapeToken.current(), allowUnauthenticatedLoopback: engine.settings.metrics.allowUnauthenticatedLoopback };
  const api = new ApiServer({ engine, token, scrape, port: options.port ?? DEFAULT_API_PORT, dashboardDir: dashboardDir() });
  try {
    await api.listen();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`port ${options.port ?? DEFAULT_API_PORT} on 127.0.0.1 is taken (another "vigil serve"?); choose another with --port`);
    }
    throw err;
  }
  writeJsonFile(paths.engine, { pid: process.pid, port: api.port, startedAt: new Date().toISOString() });
  const url = `http://127.0.0.1:${api.port}/`;
  const offConfigErrors = engine.events.subscribe((event) => {
    if (event.type === 'config.error' || event.type === 'config.applied') print(event.message);
  });
  await engine.start();
  let stopping: Promise<void> | null = null;
  return {
    engine,
    api,
    url,
    stop: () => {
      stopping ??= (async () => {
        offConfigErrors();
        await engine.shutdown();
        await api.close();
        rmSync(paths.engine, { force: true });
      })();
      return stopping;
    },
  };
}
