// `npx vigil serve` runs Vigil under `npm exec`, which runs it through `sh -c`. npm passes
// Ctrl-C/SIGINT only to that shell, and a shell started in the background ignores it, so the
// signal never reaches Vigil. So under npx, Vigil watches the npm process, and whatever
// started npm (a script's subshell, a terminal's shell), and stops the stack as it would on
// SIGINT when either goes away: then nobody is left to stop Vigil.
import { readFileSync } from 'node:fs';
import { isAlive } from '../core/supervisor/process-tree.ts';

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** The `npm exec` (npx) process this one runs under and that process's parent, if any
 * (Linux only; elsewhere an empty list). */
export function findNpxLaunchers(): number[] {
  if (process.platform !== 'linux' || process.env.npm_command !== 'exec') return [];
  let pid: number | null = process.ppid;
  for (let depth = 0; pid !== null && pid > 1 && depth < 6; depth++) {
    if (/\bnpm exec\b|\bnpx\b|npm-cli\.js exec/.test(commandOf(pid))) {
      const parent = parentOf(pid);
      return parent !== null && parent > 1 ? [pid, parent] : [pid];
    }
    pid = parentOf(pid);
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
