// `npx vigil serve` runs Vigil under `npm exec`, which runs it through `sh -c`. npm passes
// Ctrl-C/SIGINT only to that shell, and a shell started in the background ignores it, so the
// signal never reaches Vigil. So under npx, Vigil watches the npm process, and whatever
// started npm (a script's subshell, a terminal's shell), and stops the stack as it would on
// SIGINT when either goes away: then nobody is left to stop Vigil.
import { procCommandLine, procParentAndGroup } from '../core/supervisor/proc-files.ts';
import { isAlive } from '../core/supervisor/process-tree.ts';

/** The `npm exec` (npx) process this one runs under and that process's parent, if any
 * (Linux only; elsewhere an empty list). */
export function findNpxLaunchers(): number[] {
  if (process.platform !== 'linux' || process.env.npm_command !== 'exec') return [];
  let pid: number | null = process.ppid;
  for (let depth = 0; pid !== null && pid > 1 && depth < 6; depth++) {
    if (/\bnpm exec\b|\bnpx\b|npm-cli\.js exec/.test((procCommandLine(pid) ?? ''))) {
      const parent = procParentAndGroup(pid)?.ppid ?? null;
      return parent !== null && parent > 1 ? [pid, parent] : [pid];
    }
    pid = procParentAndGroup(pid)?.ppid ?? null;
  }
  return [];
}

export function onLauncherExit(launchers: number[], callback: (pid: number) => void, everyMs = 250): () => void {
  const timer = setInterval(() => {
    const gone = launchers.find((pid) => !isAlive(pid));
    if (gone !== undefined) {
      clearInterval(timer);
      callback(gone);
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
