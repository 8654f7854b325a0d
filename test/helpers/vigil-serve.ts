// `vigil serve` as a real process (the bundle `npm test` builds first), and the `vigil` command
// against it: for the CLI tests and for adoption, where an engine is SIGKILLed and another
// one started on the same VIGIL_HOME. Waiting and looking go straight to the engine's HTTP
// API (a `vigil` process per poll costs a Node start-up on a busy machine); what the CLI
// itself does is tested through `vigil()`.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach } from 'vitest';
import { EngineClient } from '../../src/cli/engine-client.ts';
import { vigilPaths } from '../../src/core/paths.ts';
import type { EngineEvent, LogLine, StateSnapshot } from '../../src/shared/contract.ts';
import { NODE, ROOT, waitFor } from './stack.ts';

export const BIN = path.join(ROOT, 'bin/vigil.mjs');

const running: ChildProcess[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
  }
});

export function vigil(home: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(NODE, [BIN, ...args], { env: { ...process.env, VIGIL_HOME: home }, cwd: home }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Starts `vigil serve` and waits until it answers; it is stopped (SIGINT) after the test. */
export async function serve(home: string, file: string, apiPort: number): Promise<ChildProcess> {
  const child = spawn(NODE, [BIN, 'serve', '-c', file, '--port', String(apiPort)], {
    env: { ...process.env, VIGIL_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await waitFor(`vigil serve up (${output})`, () => api(home, apiPort).get('/api/state').then(() => true, () => false));
  return child;
}

/** The engine's API on `port`, or on the port it recorded in `home`. */
function api(home: string, port?: number): EngineClient {
  const paths = vigilPaths(home);
  const recorded = port ?? (JSON.parse(readFileSync(paths.engine, 'utf8')) as { port: number }).port;
  let token = '';
  try {
    token = readFileSync(paths.token, 'utf8').trim();
  } catch {
    // not written yet: the engine is still starting
  }
  return new EngineClient({ port: recorded, token, home: paths.home });
}

/** An engine crash: SIGKILL, so nothing is cleaned up and the services live on. */
export async function killEngine(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
}

export function status(home: string): Promise<StateSnapshot> {
  return api(home).get<StateSnapshot>('/api/state');
}

export async function events(home: string): Promise<EngineEvent[]> {
  return (await api(home).get<{ events: EngineEvent[] }>('/api/events')).events;
}

export async function logs(home: string, service: string): Promise<LogLine[]> {
  return (await api(home).get<{ lines: LogLine[] }>(`/api/services/${service}/logs?n=1000`)).lines;
}
