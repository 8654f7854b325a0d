// PM2's ecosystem file (ecosystem.config.js): `module.exports = { apps: [...] }`. The file is
// JavaScript, so it is loaded as PM2 itself does: by running it.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { splitCommand } from './command-words.ts';
import type { ImportedService } from './imported-stack.ts';

interface Pm2App {
  name?: string;
  script?: string;
  args?: string | string[];
  cwd?: string;
  interpreter?: string;
  node_args?: string | string[];
  env?: Record<string, string | number | boolean>;
  autorestart?: boolean;
  max_restarts?: number;
  min_uptime?: number | string;
  restart_delay?: number;
  exp_backoff_restart_delay?: number;
  kill_timeout?: number;
  stop_exit_codes?: number[];
}

async function loadEcosystem(file: string): Promise<{ apps?: Pm2App[] }> {
  const absolute = path.resolve(file);
  try {
    if (absolute.endsWith('.json')) return createRequire(import.meta.url)(absolute);
    // An ES module file (.mjs, or `export default` in a .js) arrives as its namespace: through
    // import(), or through require() on a Node that can require ES modules (22.12 and later).
    const mod = absolute.endsWith('.mjs') ? await import(pathToFileURL(absolute).href) : await requireOrImport(absolute);
    return mod && typeof mod === 'object' && !('apps' in mod) && 'default' in mod ? mod.default : mod;
  } catch (err) {
    throw new Error(`${file}: cannot load the PM2 ecosystem file: ${(err as Error).message.split('\n')[0]}`);
  }
}

async function requireOrImport(absolute: string): Promise<unknown> {
  try {
    return createRequire(import.meta.url)(absolute);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') throw err;
    return import(pathToFileURL(absolute).href);
  }
}

const words = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : ((c) => (c.shell ? [c.command] : c.command))(splitCommand(value));

const isScript = (script: string) => /\.(c|m)?(j|t)s$/.test(script);

export async function importPm2Ecosystem(file: string): Promise<ImportedService[]> {
  const config = await loadEcosystem(file);
  const apps = Array.isArray(config) ? (config as Pm2App[]) : config.apps;
  if (!Array.isArray(apps) || apps.length === 0) throw new Error(`${file}: expected "module.exports = { apps: [...] }" with at least one app`);
  return apps.map((app, i) => {
    if (!app.script) throw new Error(`${file}: apps[${i}] has no "script"`);
    const name = (app.name ?? path.basename(app.script).replace(/\.[^.]+$/, '')).replace(/[^A-Za-z0-9_.-]/g, '-');
    const interpreter = app.interpreter ?? (isScript(app.script) ? 'node' : undefined);
    const command =
      interpreter && interpreter !== 'none'
        ? [interpreter, ...words(app.node_args), app.script, ...words(app.args)]
        : [app.script, ...words(app.args)];
    const port = Number(app.env?.PORT);
    const restart: ImportedService['restart'] = {};
    if (app.autorestart === false) restart.policy = 'never';
    if (app.exp_backoff_restart_delay) restart.backoff = { initial: `${app.exp_backoff_restart_delay}ms` };
    else if (app.restart_delay) restart.backoff = { initial: `${app.restart_delay}ms` };
    if (app.min_uptime !== undefined) restart.reset_after = typeof app.min_uptime === 'number' ? `${app.min_uptime}ms` : app.min_uptime;
    return {
      name,
      command,
      shell: false,
      ...(app.cwd ? { cwd: app.cwd } : {}),
      ...(app.env ? { env: app.env } : {}),
      ...(Number.isInteger(port) && port > 0 ? { port } : {}),
      ...(Object.keys(restart).length ? { restart } : {}),
      ...(app.max_restarts ? { crash_loop: { failures: app.max_restarts } } : {}),
      ...(app.kill_timeout ? { stop: { timeout: `${app.kill_timeout}ms` } } : {}),
    };
  });
}
