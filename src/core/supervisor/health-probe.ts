// One health check: a TCP connect or an HTTP request, bounded by a timeout. A hung process
// (SIGSTOP, a stuck event loop) still completes TCP handshakes through the kernel's backlog,
// so only an HTTP check can tell it is hung.
import http from 'node:http';
import https from 'node:https';
import type { HealthCheck } from '../config/service-config.ts';
import { isPortOpen } from './port-holder.ts';

export interface ProbeResult {
  ok: boolean;
  /** Why it failed, for the user: "connection refused", "timed out after 1s", "status 500". */
  detail: string;
}

function httpProbe(url: string, expected: number | null, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const client = url.startsWith('https:') ? https : http;
    let settled = false;
    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    };
    const req = client.get(url, { agent: false, headers: { 'user-agent': 'vigil-health' } }, (res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      const ok = expected === null ? status >= 200 && status < 300 : status === expected;
      finish({ ok, detail: ok ? `status ${status}` : `status ${status}, expected ${expected ?? '2xx'}` });
    });
    const timer = setTimeout(() => finish({ ok: false, detail: `no answer within ${timeoutMs}ms` }), timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) =>
      finish({ ok: false, detail: err.code === 'ECONNREFUSED' ? 'connection refused' : err.message }),
    );
  });
}

export async function probe(check: HealthCheck, timeoutMs: number): Promise<ProbeResult> {
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
