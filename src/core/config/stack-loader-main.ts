// Entry of the worker thread that reads stack files for the engine (dist/stack-loader.mjs;
// see load-stack-isolated.ts). Answers with one message: {"ok":true,"stack":...} or
// {"ok":false,"issues":[...]}. Run by hand (node dist/stack-loader.mjs vigil.yml), it prints
// the same as one JSON line.
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
