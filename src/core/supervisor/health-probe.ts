// One health check: a TCP connect or an HTTP request, bounded by a timeout. A hung process
// (SIGSTOP, a stuck event loop) still completes TCP handshakes through the kernel's backlog,
// so only an HTTP check can tell it is hung. Each check is timed on the monotonic clock: the
// engine's Clock may be a test's manual one, and the wall clock can jump.
import { performance } from 'node:perf_hooks';
import type { HealthCheck } from '../config/service-config.ts';
import { HttpGetError, httpGet } from '../kit/http-get.ts';
import { isPortOpen } from './port-holder.ts';

export interface ProbeResult {
  ok: boolean;
  /** Why it failed, for the user: "connection refused", "timed out after 1s", "status 500". */
  detail: string;
  /** How long the check took, from the connect or request to the verdict. */
  durationMs: number;
}

type Verdict = Omit<ProbeResult, 'durationMs'>;

async function httpProbe(url: string, expected: number | null, timeoutMs: number): Promise<Verdict> {
  try {
    const { status } = await httpGet(url, timeoutMs);
    const ok = expected === null ? status >= 200 && status < 300 : status === expected;
    return { ok, detail: ok ? `status ${status}` : `status ${status}, expected ${expected ?? '2xx'}` };
  } catch (err) {
    return { ok: false, detail: err instanceof HttpGetError ? err.reason : (err as Error).message };
  }
}

export async function probe(check: HealthCheck, timeoutMs: number): Promise<ProbeResult> {
  const began = performance.now();
  const verdict = await judge(check, timeoutMs);
  return { ...verdict, durationMs: performance.now() - began };
}

async function judge(check: HealthCheck, timeoutMs: number): Promise<Verdict> {
  switch (check.type) {
    case 'none':
      return { ok: true, detail: 'no health check' };
    case 'tcp':
      return (await isPortOpen(check.port, timeoutMs))
        ? { ok: true, detail: `port ${check.port} accepts connections` }
        : { ok: false, detail: `port ${check.port} does not accept connections` };
    case 'http':
      return httpProbe(check.url, check.status, timeoutMs);
  }
}
