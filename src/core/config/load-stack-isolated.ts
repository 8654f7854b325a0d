// The engine reads stack files away from its own heap. The YAML parser and the schema library
// are the largest code Vigil has, and the engine needs them only for a moment at each
// (re)load; a file that trips the parser must only take that helper down, never the engine.
// Under plain Node (`vigil serve`) the helper is a short-lived child process: its memory goes
// back to the system when it exits. Inside Electron it is a worker thread with a capped heap:
// the app's binary does not run as Node once the RunAsNode fuse is off (electron-builder.yml),
// and a thread costs the engine about 30 MB of resident memory that the allocator keeps, which
// is why it is not the choice everywhere.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../paths.ts';
import { type ConfigIssue, type LoadedStack, StackFileError } from './stack-file-error.ts';

const LOADER_TIMEOUT_MS = 20_000;
/** Far more than any stack file needs; a bigger appetite is a runaway, not a stack. */
const LOADER_HEAP_MB = 256;

export type LoaderIsolation = 'process' | 'thread';

/** A child process where process.execPath is Node, a worker thread inside Electron. */
export function defaultIsolation(): LoaderIsolation {
  return process.versions.electron ? 'thread' : 'process';
}

export type LoaderReply = { ok: true; stack: LoadedStack } | { ok: false; issues: ConfigIssue[] } | { ok: false; error: string };

function loaderBundle(): string | null {
  const file = path.join(packageRoot(), 'dist', 'stack-loader.mjs');
  return existsSync(file) ? file : null;
}

function failure(files: string[], message: string): StackFileError {
  return new StackFileError([{ file: files[0] ?? 'vigil.yml', line: 1, column: 1, field: '', message }]);
}

function runInProcess(bundle: string, files: string[]): Promise<LoaderReply> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [bundle, ...files], { timeout: LOADER_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve(JSON.parse(line) as LoaderReply);
      } catch {
        const why = err?.killed ? `took over ${LOADER_TIMEOUT_MS / 1000}s` : (stderr.trim().split('\n').at(-1) ?? err?.message ?? 'no answer');
        reject(failure(files, `could not read the stack file: the loader failed (${why})`));
      }
    });
  });
}

function runInThread(bundle: string, files: string[]): Promise<LoaderReply> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(bundle, { argv: files, resourceLimits: { maxOldGenerationSizeMb: LOADER_HEAP_MB }, stdout: true, stderr: true });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
      void worker.terminate();
    };
    const timer = setTimeout(() => settle(() => reject(failure(files, `could not read the stack file: the loader took over ${LOADER_TIMEOUT_MS / 1000}s`))), LOADER_TIMEOUT_MS);
    worker.once('message', (reply: LoaderReply) => settle(() => resolve(reply)));
    worker.once('error', (err: Error) => {
      const why = (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? `it needed over ${LOADER_HEAP_MB} MB` : err.message;
      settle(() => reject(failure(files, `could not read the stack file: the loader failed (${why})`)));
    });
    worker.once('exit', (code) => settle(() => reject(failure(files, `could not read the stack file: the loader stopped (exit code ${code}) without an answer`))));
  });
}

export async function loadStackIsolated(files: string[], isolation: LoaderIsolation = defaultIsolation()): Promise<LoadedStack> {
  const bundle = loaderBundle();
  if (!bundle) {
    // Running from source without a build (tests of single modules): load in-process.
    const { loadStack } = await import('./load-stack.ts');
    return loadStack(files);
  }
  const reply = await (isolation === 'thread' ? runInThread(bundle, files) : runInProcess(bundle, files));
  if (reply.ok) return reply.stack;
  if ('issues' in reply) throw new StackFileError(reply.issues);
  throw failure(files, reply.error);
}
