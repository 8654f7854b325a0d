// Entry of the helper that reads stack files for the engine (dist/stack-loader.mjs; see
// load-stack-isolated.ts): {"ok":true,"stack":...} or {"ok":false,"issues":[...]}, posted to
// the engine as a worker thread's message, or printed as one JSON line as a child process.
import { parentPort } from 'node:worker_threads';
import type { LoaderReply } from './load-stack-isolated.ts';
import { loadStack, StackFileError } from './load-stack.ts';

let reply: LoaderReply;
try {
  reply = { ok: true, stack: await loadStack(process.argv.slice(2)) };
} catch (err) {
  reply = err instanceof StackFileError ? { ok: false, issues: err.issues } : { ok: false, error: (err as Error).message };
}
if (parentPort) parentPort.postMessage(reply);
else process.stdout.write(`${JSON.stringify(reply)}\n`);
