// The cloudflared side of the tunnel watcher, against a fake metrics server on a loopback port.
import { describe, expect, it } from 'vitest';
import { parsePrometheusText, readCloudflared, sumMetric } from '../../../src/core/watchers/tunnels/cloudflared-client.ts';
import { cloudflaredConfig, eventsOf, fakeCloudflared, freePort, morePolls, recordingHooks, waitFor, watch } from './helpers.ts';

describe('cloudflared metrics client', () => {
  it('reads ready connections (200 and 503 alike), the quick tunnel and the counters', async () => {
    const c = await fakeCloudflared();
    c.setQuickTunnel('quiet-river.trycloudflare.com');
    expect(await readCloudflared(c.url.replace('http://', ''), 1000)).toMatchObject({
      reachable: true,
      readyConnections: 4,
      hostname: 'quiet-river.trycloudflare.com',
      counters: { totalRequests: 42, requestErrors: 1, haConnections: 4 },
      error: null,
    });
    c.setReadyConnections(0); // answered with 503 and the same body
    expect(await readCloudflared(c.url, 1000)).toMatchObject({ reachable: true, readyConnections: 0, error: null });
  });

  it('parses Prometheus text lines with labels, and skips comments and junk', () => {
    const samples = parsePrometheusText('# HELP x y\n# TYPE x counter\nx 3\nx_by_code{status_code="200",a="b\\"c"} 5 1700000000\nnot a line\ny NaN\n');
    expect(samples).toEqual([
      { name: 'x', labels: {}, value: 3 },
      { name: 'x_by_code', labels: { status_code: '200', a: 'b"c' }, value: 5 },
      { name: 'y', labels: {}, value: Number.NaN },
    ]);
    expect(sumMetric(samples, 'x_by_code')).toBe(5);
    expect(sumMetric(samples, 'absent')).toBeNull();
  });
});

describe('TunnelWatcher (cloudflared)', () => {
  it('goes up, degraded, down as ready connections drop from 4 to 2 to 0: one event each', async () => {
    const c = await fakeCloudflared();
    const hooks = recordingHooks();
    const w = watch(cloudflaredConfig({ metrics: c.url }), hooks);
    await waitFor('up', () => w.snapshot().state === 'up');
    expect(w.snapshot()).toMatchObject({ kind: 'cloudflared', readyConnections: 4, expectedConnections: 4, address: c.url, error: null });

    c.setReadyConnections(2);
    await waitFor('degraded', () => w.snapshot().state === 'degraded');
    expect(w.snapshot()).toMatchObject({ readyConnections: 2, error: 'only 2 of 4 edge connections ready' });

    c.setReadyConnections(0);
    await waitFor('down', () => w.snapshot().state === 'down');
    expect(w.snapshot()).toMatchObject({ readyConnections: 0, error: 'cloudflared runs but has no ready edge connection (0 of 4)' });
    await morePolls(hooks, 3);
    expect(eventsOf(hooks, 'tunnel.state').map((e) => e.message)).toEqual([
      'cloudflared tunnel "cf" is up: no public URL reported',
      'cloudflared tunnel "cf" is degraded: only 2 of 4 edge connections ready',
      'cloudflared tunnel "cf" is down: cloudflared runs but has no ready edge connection (0 of 4)',
    ]);
    expect(hooks.observations).toContainEqual({ name: 'tunnel_cloudflared_ready_connections', value: 2, labels: { tunnel: 'cf', kind: 'cloudflared' } });
    expect(hooks.observations).toContainEqual({ name: 'tunnel_cloudflared_total_requests', value: 42, labels: { tunnel: 'cf', kind: 'cloudflared' } });
  });

  it('is down when the metrics server is unreachable, degraded on a malformed /ready', async () => {
    const c = await fakeCloudflared();
    c.setMalformed(true);
    const hooks = recordingHooks();
    const w = watch(cloudflaredConfig({ metrics: c.url }), hooks);
    await waitFor('degraded', () => w.snapshot().state === 'degraded');
    expect(w.snapshot().error).toMatch(`cloudflared's answer to GET /ready at ${c.url} is not valid JSON`);
    await c.stop();
    await waitFor('down', () => w.snapshot().state === 'down');
    expect(w.snapshot().error).toMatch(`cloudflared metrics server unreachable at ${c.url}`);
  });

  it('shows a quick tunnel URL and reports its change', async () => {
    const c = await fakeCloudflared();
    c.setQuickTunnel('first-one.trycloudflare.com');
    const hooks = recordingHooks();
    const w = watch(cloudflaredConfig({ metrics: c.url }), hooks);
    await waitFor('up', () => w.snapshot().state === 'up');
    expect(w.snapshot().publicUrls).toEqual(['https://first-one.trycloudflare.com']);
    c.setQuickTunnel('second-one.trycloudflare.com');
    await waitFor('url event', () => eventsOf(hooks, 'tunnel.url').length === 1);
    expect(eventsOf(hooks, 'tunnel.url')[0]).toMatchObject({ oldUrl: 'https://first-one.trycloudflare.com', newUrl: 'https://second-one.trycloudflare.com' });
  });

  it('finds the metrics server over the candidate ports', async () => {
    const c = await fakeCloudflared();
    const hooks = recordingHooks();
    const w = watch(cloudflaredConfig({ discoveryPorts: [await freePort(), c.port] }), hooks);
    await waitFor('up', () => w.snapshot().state === 'up');
    expect(w.snapshot().address).toBe(c.url);
  });

  it('probes a named tunnel through a configured URL', async () => {
    const c = await fakeCloudflared();
    const origin = await freePort(); // nothing listens: the origin is broken
    const hooks = recordingHooks();
    const w = watch(cloudflaredConfig({ metrics: c.url, probe: { path: '/', url: `http://127.0.0.1:${origin}/health`, intervalMs: 1, timeoutMs: 1000 } }), hooks);
    await waitFor('degraded', () => w.snapshot().state === 'degraded');
    expect(w.snapshot().error).toMatch(/^tunnel up but the origin behind it fails: GET http:\/\/127\.0\.0\.1:\d+\/health failed: connection refused/);
  });
});
