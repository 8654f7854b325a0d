// HTTP servers on 127.0.0.1 that stand in for a service's endpoints (health, metrics), closed
// after each test.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterEach } from 'vitest';

const open: http.Server[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Serves `handler` on a free port of 127.0.0.1; resolves with "http://127.0.0.1:<port>". */
export async function serveOnLoopback(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  open.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A health URL on 127.0.0.1 that answers (200 until told otherwise) no sooner than `delayMs`
 * after a request arrives, on the monotonic clock the checks are timed with (a timer may fire a
 * hair early). */
export async function slowHealthEndpoint(delayMs: number): Promise<{ url: string; answer(status: number): void }> {
  let status = 200;
  const base = await serveOnLoopback((_req, res) => {
    const arrived = performance.now();
    const reply = () => {
      if (performance.now() - arrived < delayMs) setTimeout(reply, 1);
      else res.writeHead(status).end(`status ${status}`);
    };
    setTimeout(reply, delayMs);
  });
  return { url: `${base}/health`, answer: (s) => (status = s) };
}
