// A real `vigil serve` for the end-to-end tests: built bundle, temp VIGIL_HOME, a two-service
// stack of demo services on free ports, stopped with SIGINT like a user's Ctrl-C.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEMO_SERVICE, freePort, NODE, processExists, ROOT, tempDir, waitFor, writeStack } from '../helpers/stack.ts';

const OUTPUTS = ['dist/cli.mjs', 'dist/renderer/index.html', 'dist/renderer/app.js', 'dist/renderer/app.css'];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds dist/ unless it is there and newer than every source file (`npm test` builds first). */
export function ensureBuilt(): void {
  const outputs = OUTPUTS.map((f) => path.join(ROOT, f));
  const fresh = outputs.every((f) => existsSync(f)) && newestMtime(path.join(ROOT, 'src')) <= Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  if (fresh) return;
  const result = spawnSync(NODE, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`build failed:\n${result.stdout}${result.stderr}`);
}

/** Two demo services, alpha and beta, on free ports; `extra` is appended to the stack file
 * (a `tunnels:` list, a `fly:` section). */
export async function demoStack(dir: string, extra = ''): Promise<{ file: string; ports: [number, number] }> {
  const ports: [number, number] = [await freePort(), await freePort()];
  const yaml = ['alpha', 'beta']
    .map(
      (name, i) => `  - name: ${name}
    command: [${JSON.stringify(NODE)}, ${JSON.stringify(DEMO_SERVICE)}, "--port", "${ports[i]}", "--name", "${name}"]
    port: ${ports[i]}
    health: { path: /health, interval: 500ms }`,
    )
    .join('\n');
  return { file: writeStack(dir, `services:\n${yaml}\n${extra}`), ports };
}

/** The demo stack's alpha and beta are both loaded and running (not just "nothing is down":
 * an engine still loading its stack file has no services at all). */
export function bothRunning(services: { name: string; state: string }[]): boolean {
  return ['alpha', 'beta'].every((name) => services.some((s) => s.name === name && s.state === 'running'));
}

export interface ServeProcess {
  child: ChildProcess;
  dir: string;
  home: string;
  port: number;
  token: string;
  base: string;
  /** The ports of alpha and beta. */
  ports: [number, number];
  output: () => string;
  api<T>(method: string, route: string, body?: unknown): Promise<T>;
  /** SIGINT, then waits for the exit; SIGKILL if it does not come. Returns the exit code. */
  stop(): Promise<number | null>;
}

/** Waits until the child has printed `pattern`. */
export async function waitForOutput(child: ChildProcess, output: () => string, pattern: RegExp, timeoutMs = 20_000): Promise<void> {
  await waitFor(`output matching ${pattern} (got: ${output()})`, () => {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before printing ${pattern}:\n${output()}`);
    return pattern.test(output());
  }, timeoutMs);
}

export function stopChild(child: ChildProcess, timeoutMs = 20_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill('SIGINT');
  });
}

/** `prepare` runs before Vigil starts, with its VIGIL_HOME (not made yet): to leave history
 * there, say. */
export async function startServe(extraYaml = '', prepare?: (home: string) => void): Promise<ServeProcess> {
  ensureBuilt();
  const dir = tempDir('vigil-e2e-');
  const home = path.join(dir, 'home');
  const { file, ports } = await demoStack(dir, extraYaml);
  prepare?.(home);
  const port = await freePort();
  const child = spawn(NODE, [path.join(ROOT, 'bin/vigil.mjs'), 'serve', '-c', file, '--port', String(port)], {
    cwd: dir,
    env: { ...process.env, VIGIL_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (d) => (text += d));
  child.stderr?.on('data', (d) => (text += d));
  const output = () => text;
  await waitForOutput(child, output, /Dashboard and API: http:\/\/127\.0\.0\.1:\d+\//);
  const token = readFileSync(path.join(home, 'token'), 'utf8').trim();
  const base = `http://127.0.0.1:${port}`;
  const api = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const res = await fetch(base + route, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    child,
    dir,
    home,
    port,
    ports,
    token,
    base,
    output,
    api,
    stop: async () => {
      const code = await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

export { processExists };
