// Freeing a port stops whatever holds it, on the user's request. Some holders are not that
// request's to stop: Vigil's engine (its own API port: the stack and the caller's answer would
// go with it), the processes that started the engine (the app, a launcher), and the services
// Vigil supervises, which `vigil stop` stops in order and without a restart.
import type { PortHolder } from '../../shared/contract.ts';
import { procParentAndGroup } from './proc-files.ts';

export interface SupervisedProcess {
  name: string;
  pid: number | null;
  /** Watch-only services run outside Vigil: freeing their port is the user's call. */
  watchOnly: boolean;
}

/** The engine's own pid and the pids it descends from (its parent alone where there is no /proc). */
function engineAndAncestors(): Set<number> {
  const pids = new Set([process.pid, process.ppid]);
  for (let pid = process.ppid; pid > 1 && pids.size < 64; ) {
    const parent = procParentAndGroup(pid)?.ppid;
    if (!parent || pids.has(parent)) break;
    pids.add(parent);
    pid = parent;
  }
  pids.delete(0);
  pids.delete(1);
  return pids;
}

/** Why `holder` must not be stopped to free `port`, or null when it may be. `holderGroup` is
 * its process group (services run in groups of their own, with their children). */
export function refusalToFree(port: number, holder: PortHolder, holderGroup: number | null, services: readonly SupervisedProcess[]): string | null {
  if (holder.pid === process.pid) {
    return `port ${port} is Vigil's own API (pid ${holder.pid}): freeing it would stop Vigil and the stack with it. To stop Vigil, press Ctrl-C where "vigil serve" runs, or quit the app`;
  }
  if (engineAndAncestors().has(holder.pid)) {
    return `port ${port} is held by pid ${holder.pid} (${holder.command}), which runs Vigil itself: stopping it would stop Vigil and the stack with it`;
  }
  const own = services.find((s) => s.pid !== null && !s.watchOnly && (s.pid === holder.pid || s.pid === holderGroup));
  if (own) return `port ${port} is held by Vigil's own service "${own.name}" (pid ${holder.pid}); use "vigil stop ${own.name}" to stop it`;
  return null;
}
