// The engine reads stack files in a short-lived worker thread. The YAML parser and the schema
// library are the largest code Vigil has, and the engine needs them only for a moment at each
// (re)load: loaded into a worker's own heap, they are gone with the worker; a file that trips
// the parser can only exhaust the worker's capped heap, never the engine's. A thread, not a
// child process: in the app the engine runs inside Electron, whose binary does not run as
// Node once the RunAsNode fuse is off (electron-builder.yml).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../paths.ts';
import { type ConfigIssue, type LoadedStack, StackFileError } from './stack-file-error.ts';

const LOADER_TIMEOUT_MS = 20_000;
/** Far more than any stack file needs; a bigger appetite is a runaway, not a stack. */
const LOADER_HEAP_MB = 256;

export type LoaderReply = { ok: true; stack: LoadedStack } | { ok: false; issues: ConfigIssue[] } | { ok: false; error: string };

function loaderBundle(): string | null {
  const file = path.join(packageRoot(), 'dist', 'stack-loader.mjs');
  return existsSync(file) ? file : null;
}

function failure(files: string[], message: string): StackFileError {
  return new StackFileError([{ file: files[0] ?? 'vigil.yml', line: 1, column: 1, field: '', message }]);
}

function runLoader(bundle: string, files: string[]): Promise<LoaderReply> {
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

export async function loadStackIsolated(files: string[]): Promise<LoadedStack> {
  const bundle = loaderBundle();
  if (!bundle) {
    // Running from source without a build (tests of single modules): load in-process.
    const { loadStack } = await import('./load-stack.ts');
    return loadStack(files);
  }
  const reply = await runLoader(bundle, files);
  if (reply.ok) return reply.stack;
  if ('issues' in reply) throw new StackFileError(reply.issues);
  throw failure(files, reply.error);
}
