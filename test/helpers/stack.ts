// Shared by the supervisor, API and CLI tests: temp folders, free ports, stack files, waiting.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine, type EngineOptions } from '../../src/core/engine.ts';
import { vigilPaths } from '../../src/core/paths.ts';
import type { EngineEvent, ServiceSnapshot, StateSnapshot } from '../../src/shared/contract.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURE = path.join(ROOT, 'test/fixtures/misbehaving-service.mjs');
export const DEMO_SERVICE = path.join(ROOT, 'examples/demo/demo-service.cjs');
/** Node 24 from the project, the same one `npm test` runs under. */
export const NODE = process.execPath;

export function tempDir(prefix = 'vigil-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(what: string, check: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 15_000, stepMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export function writeStack(dir: string, yaml: string, name = 'vigil.yml'): string {
  const file = path.join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

export function service(state: StateSnapshot, name: string): ServiceSnapshot {
  const found = state.services.find((s) => s.name === name);
  if (!found) throw new Error(`no service ${name} in ${state.services.map((s) => s.name).join(', ')}`);
  return found;
}

/** `service.state` events that do not say which transition they are: there should be none
 * (an event about something else has a type of its own). */
export function stateEventsWithoutTransition(events: EngineEvent[]): EngineEvent[] {
  return events.filter((e) => e.type === 'service.state' && (e.from === undefined || e.to === undefined));
}

/** An engine on a temp VIGIL_HOME; `cleanup()` stops it and removes the folder. */
export async function startEngine(yaml: string, options: Partial<EngineOptions> = {}) {
  const dir = tempDir();
  const file = writeStack(dir, yaml);
  const engine = new Engine({ files: [file], paths: vigilPaths(path.join(dir, 'home')), ...options });
  await engine.start();
  return {
    engine,
    dir,
    file,
    state: (name: string) => service(engine.snapshot(), name),
    cleanup: async () => {
      await engine.shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** True when the process exists (and is not a zombie). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Every pid whose command line mentions `marker`, from the process table. */
export function pidsMatching(marker: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid)
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(marker) && processExists(Number(d));
      } catch {
        return false;
      }
    })
    .map(Number);
}
