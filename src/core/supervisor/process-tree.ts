// Signals for a service's whole process tree. Every service runs in a process group of its
// own (spawned detached), so one signal reaches the service and its children; descendants
// that left the group (setsid, daemonising) are found through the process table as well.
import pidtree from 'pidtree';

function signal(target: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(target, sig);
    return true;
  } catch {
    return false; // ESRCH: gone already; EPERM: not ours to signal
  }
}

export function isAlive(pid: number): boolean {
  return signal(pid, 0);
}

/** True while any process of the group led by `pgid` exists. */
export function isGroupAlive(pgid: number): boolean {
  return signal(-pgid, 0);
}

async function descendantsOf(pid: number): Promise<number[]> {
  try {
    return await pidtree(pid);
  } catch {
    return []; // the root is gone, or `ps` is unavailable: the group signal still applies
  }
}

export function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  signal(-pgid, sig);
}

export async function waitUntil(done: () => boolean, timeoutMs: number, stepMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  return true;
}

/**
 * Stops a process tree: `stopSignal` (and SIGCONT, so a stopped process can act on it) to
 * the group and every descendant, then SIGKILL to whatever is left after `timeoutMs`.
 * Resolves once nothing of the tree remains, saying whether SIGKILL was needed.
 */
export async function terminateTree(pgid: number, stopSignal: NodeJS.Signals, timeoutMs: number): Promise<'graceful' | 'killed'> {
  const strays = (await descendantsOf(pgid)).filter((pid) => pid !== pgid);
  const send = (sig: NodeJS.Signals) => {
    signalGroup(pgid, sig);
    strays.forEach((pid) => signal(pid, sig));
  };
  const gone = () => !isGroupAlive(pgid) && strays.every((pid) => !isAlive(pid));
  send(stopSignal);
  if (stopSignal !== 'SIGKILL') send('SIGCONT');
  if (await waitUntil(gone, timeoutMs)) return 'graceful';
  send('SIGKILL');
  await waitUntil(gone, 5000);
  return 'killed';
}

/** Stops one foreign process and its descendants (not its process group, which may be the
 * user's shell job): used by free-port, where the holder is not a service of ours. */
export async function terminateProcess(pid: number, timeoutMs = 3000): Promise<'graceful' | 'killed'> {
  const tree = [pid, ...(await descendantsOf(pid))];
  const send = (sig: NodeJS.Signals) => tree.forEach((p) => signal(p, sig));
  const gone = () => tree.every((p) => !isAlive(p));
  send('SIGTERM');
  send('SIGCONT');
  if (await waitUntil(gone, timeoutMs)) return 'graceful';
  send('SIGKILL');
  await waitUntil(gone, 5000);
  return 'killed';
}
