// The engine reads stack files in a short-lived child process. The YAML parser and the schema
// library are the largest code Vigil has, and the engine needs them only for a moment at each
// (re)load: kept out of the long-running engine they cost it no memory, and a stack file that
// trips the parser (a YAML bomb, a bug) can only take the child down, never the engine.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../paths.ts';
import { type ConfigIssue, type LoadedStack, StackFileError } from './stack-file-error.ts';

const LOADER_TIMEOUT_MS = 20_000;

type LoaderReply = { ok: true; stack: LoadedStack } | { ok: false; issues: ConfigIssue[] } | { ok: false; error: string };

function loaderBundle(): string | null {
  const file = path.join(packageRoot(), 'dist', 'stack-loader.mjs');
  return existsSync(file) ? file : null;
}

function failure(files: string[], message: string): StackFileError {
  return new StackFileError([{ file: files[0] ?? 'vigil.yml', line: 1, column: 1, field: '', message }]);
}

export async function loadStackIsolated(files: string[]): Promise<LoadedStack> {
  const bundle = loaderBundle();
  if (!bundle) {
    // Running from source without a build (tests of single modules): load in-process.
    const { loadStack } = await import('./load-stack.ts');
    return loadStack(files);
  }
  const reply = await new Promise<LoaderReply>((resolve, reject) => {
    execFile(
      process.execPath,
      [bundle, ...files],
      {
        // Inside Electron's utility process execPath is Electron itself: run it as plain Node.
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        timeout: LOADER_TIMEOUT_MS,
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const line = stdout.trim().split('\n').at(-1) ?? '';
        try {
          resolve(JSON.parse(line) as LoaderReply);
        } catch {
          const why = err?.killed ? `took over ${LOADER_TIMEOUT_MS / 1000}s` : (stderr.trim().split('\n').at(-1) ?? err?.message ?? 'no answer');
          reject(failure(files, `could not read the stack file: the loader failed (${why})`));
        }
      },
    );
  });
  if (reply.ok) return reply.stack;
  if ('issues' in reply) throw new StackFileError(reply.issues);
  throw failure(files, reply.error);
}
