// Entry of the child process that reads stack files for the engine (dist/stack-loader.mjs).
// Prints one JSON line: {"ok":true,"stack":...} or {"ok":false,"issues":[...]}.
import { loadStack, StackFileError } from './load-stack.ts';

try {
  const stack = await loadStack(process.argv.slice(2));
  process.stdout.write(`${JSON.stringify({ ok: true, stack })}\n`);
} catch (err) {
  const reply = err instanceof StackFileError ? { ok: false, issues: err.issues } : { ok: false, error: (err as Error).message };
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}
