// How long Electron main waits before starting a crashed engine again (pure): quickly the
// first time, then doubling up to a cap, so a engine that dies at once does not spin.
export const ENGINE_RESTART_INITIAL_MS = 500;
export const ENGINE_RESTART_CAP_MS = 30_000;
/** An engine that stayed up this long starts the count over. */
export const ENGINE_STABLE_AFTER_MS = 60_000;

export function engineRestartDelay(consecutiveFailures: number): number {
  const n = Math.max(0, Math.floor(consecutiveFailures));
  return Math.min(ENGINE_RESTART_CAP_MS, ENGINE_RESTART_INITIAL_MS * 2 ** Math.min(n, 16));
}
