// The ngrok side of the tunnel watcher, against a fake agent on a loopback port.
import { describe, expect, it } from 'vitest';
import { readNgrokAgent } from '../../../src/core/watchers/tunnels/ngrok-client.ts';
import { TunnelWatcher } from '../../../src/core/watchers/tunnels/tunnel-watcher.ts';
import { eventsOf, fakeNgrokAgent, freePort, morePolls, ngrokConfig, recordingHooks, waitFor, watch } from './helpers.ts';

describe('ngrok agent API client', () => {
  it('reads /api/tunnels and /api/endpoints and merges them into one tunnel each', async () => {
    const a = await fakeNgrokAgent();
    a.addTunnel({ name: 'command_line', publicUrl: 'https://a.ngrok.app', addr: 'localhost:5051' });
    const both = await readNgrokAgent(a.url, 1000);
    expect(both).toMatchObject({ reachable: true, error: null, tunnels: [{ name: 'command_line', publicUrl: 'https://a.ngrok.app', localAddr: 'http://localhost:5051' }] });
    if (!both.reachable) throw new Error('unreachable');
    expect(both.tunnels[0]!.metrics.conns).toMatchObject({ count: 3, gauge: 1, p99: 4_000_000 });
    expect(both.tunnels[0]!.metrics.http.gauge).toBeUndefined();

    a.setRoute('endpoints', false); // an agent older than 3.30
    expect(await readNgrokAgent(a.url, 1000)).toMatchObject({ reachable: true, error: null, tunnels: [{ localAddr: 'localhost:5051' }] });
    a.setRoute('endpoints', true);
    a.setRoute('tunnels', false); // a future agent without the deprecated route
    expect(await readNgrokAgent(a.url, 1000)).toMatchObject({ reachable: true, error: null, tunnels: [{ publicUrl: 'https://a.ngrok.app' }] });
    a.setRoute('endpoints', false);
    const neither = await readNgrokAgent(a.url, 1000);
    expect(neither).toMatchObject({ reachable: true, tunnels: [] });
    expect(neither.error).toMatch(/serves neither \/api\/tunnels nor \/api\/endpoints/);
  });

  it('says the agent is unreachable when nothing listens', async () => {
    const port = await freePort();
    const reading = await readNgrokAgent(`http://127.0.0.1:${port}`, 1000);
    expect(reading.reachable).toBe(false);
    expect(reading.error).toMatch(`ngrok agent unreachable at http://127.0.0.1:${port}`);
  });
});

describe('TunnelWatcher (ngrok)', () => {
  it('is degraded while an expected tunnel is missing, and up with its URL once it appears', async () => {
    const a = await fakeNgrokAgent();
    const hooks = recordingHooks();
    const w = watch(ngrokConfig({ api: a.url, expect: ['5051'] }), hooks);
    expect(w.snapshot().state).toBe('unknown');
    await waitFor('degraded', () => w.snapshot().state === 'degraded');
    expect(w.snapshot().error).toMatch(/expected tunnel 5051 is missing \(it runs none\)/);

    a.addTunnel({ name: 'command_line', publicUrl: 'https://a.ngrok.app', addr: 'localhost:5051' });
    await waitFor('up', () => w.snapshot().state === 'up');
    expect(w.snapshot()).toMatchObject({ state: 'up', error: null, publicUrls: ['https://a.ngrok.app'], address: a.url, kind: 'ngrok', name: 'public' });
    expect(eventsOf(hooks, 'tunnel.state').map((e) => e.message)).toEqual([
      expect.stringMatching(/^ngrok tunnel "public" is degraded: expected tunnel 5051 is missing/),
      'ngrok tunnel "public" is up: https://a.ngrok.app',
    ]);
    expect(hooks.changes).toBeGreaterThan(0);
    expect(hooks.observations).toContainEqual({ name: 'tunnel_ngrok_http_count', value: 3, labels: { tunnel: 'public', kind: 'ngrok', endpoint: 'command_line' } });
  });

  it('goes degraded when one of the expected tunnels vanishes', async () => {
    const a = await fakeNgrokAgent();
    a.addTunnel({ name: 'web', publicUrl: 'https://web.ngrok.app', addr: 'localhost:5555' });
    a.addTunnel({ name: 'runner', publicUrl: 'https://run.ngrok.app', addr: 'http://127.0.0.1:5052' });
    const hooks = recordingHooks();
    const w = watch(ngrokConfig({ api: a.url, expect: ['web', 'localhost:5052'] }), hooks);
    await waitFor('up', () => w.snapshot().state === 'up');
    expect(w.snapshot().publicUrls).toEqual(['https://web.ngrok.app', 'https://run.ngrok.app']);

    a.removeTunnel('runner');
    await waitFor('degraded', () => w.snapshot().state === 'degraded');
    expect(w.snapshot().error).toBe('expected tunnel localhost:5052 is missing (it runs: web -> http://localhost:5555)');
    expect(w.snapshot().publicUrls).toEqual(['https://web.ngrok.app']);
  });

  it('goes down when the agent stops, with one event however many polls fail', async () => {
    const a = await fakeNgrokAgent();
    a.addTunnel({ name: 'command_line', publicUrl: 'https://a.ngrok.app' });
    const hooks = recordingHooks();
    const w = watch(ngrokConfig({ api: a.url }), hooks);
    await waitFor('up', () => w.snapshot().state === 'up');
    await a.stop();
    await waitFor('down', () => w.snapshot().state === 'down');
    expect(w.snapshot().error).toMatch(`ngrok agent unreachable at ${a.url}`);
    expect(w.snapshot().publicUrls).toEqual([]);
    await morePolls(hooks, 4);
    expect(eventsOf(hooks, 'tunnel.state').map((e) => e.message)).toEqual([
      'ngrok tunnel "public" is up: https://a.ngrok.app',
      expect.stringMatching(`^ngrok tunnel "public" is down: ngrok agent unreachable at ${a.url}`),
    ]);
    // It backs off: each failed poll waits twice as long as the one before.
    expect(w.nextDelay()).toBeGreaterThanOrEqual(50 * 2 ** 4);
  });

  it('reports a changed public URL once, with the old and the new, also across an agent restart', async () => {
    const a = await fakeNgrokAgent();
    a.addTunnel({ name: 'command_line', publicUrl: 'https://a.ngrok.app' });
    const hooks = recordingHooks();
    const w = watch(ngrokConfig({ api: a.url }), hooks);
    await waitFor('up', () => w.snapshot().state === 'up');

    a.setPublicUrl('command_line', 'https://b.ngrok.app');
    await waitFor('url event', () => eventsOf(hooks, 'tunnel.url').length > 0);
    await morePolls(hooks, 3);
    expect(eventsOf(hooks, 'tunnel.url')).toEqual([
      { type: 'tunnel.url', service: null, tunnel: 'public', oldUrl: 'https://a.ngrok.app', newUrl: 'https://b.ngrok.app', message: 'ngrok tunnel "public": public URL changed: https://a.ngrok.app -> https://b.ngrok.app' },
    ]);
    expect(w.snapshot().publicUrls).toEqual(['https://b.ngrok.app']);

    // A free-plan agent comes back from a restart with a new URL: news, even after an outage.
    await a.stop();
    await waitFor('down', () => w.snapshot().state === 'down');
    a.setPublicUrl('command_line', 'https://c.ngrok.app');
    await a.resume();
    await waitFor('second url event', () => eventsOf(hooks, 'tunnel.url').length === 2, 20_000);
    expect(eventsOf(hooks, 'tunnel.url')[1]).toMatchObject({ oldUrl: 'https://b.ngrok.app', newUrl: 'https://c.ngrok.app' });
    expect(w.snapshot()).toMatchObject({ state: 'up', publicUrls: ['https://c.ngrok.app'] });
  });

  it('is degraded with a clear error when the agent answers malformed JSON, and recovers', async () => {
    const a = await fakeNgrokAgent();
    a.addTunnel({ name: 'command_line', publicUrl: 'https://a.ngrok.app' });
    a.setMalformed(true);
    const hooks = recordingHooks();
    const w = watch(ngrokConfig({ api: a.url }), hooks);
    await waitFor('degraded', () => w.snapshot().state === 'degraded');
    expect(w.snapshot().error).toMatch(`ngrok agent at ${a.url} answered, but its tunnel list could not be read: the answer to GET /api/endpoints is not valid JSON`);
    a.setMalformed(false);
    await waitFor('up', () => w.snapshot().state === 'up', 20_000);
  });

  it('finds the agent by probing the candidate ports in order', async () => {
    const a = await fakeNgrokAgent();
    a.addTunnel({ name: 'command_line', publicUrl: 'https://a.ngrok.app' });
    const nobody = await freePort();
    const hooks = recordingHooks();
    const w = watch(ngrokConfig({ discoveryPorts: [nobody, a.port] }), hooks);
    await waitFor('up', () => w.snapshot().state === 'up');
    expect(w.snapshot().address).toBe(a.url);
  });

  it('says which ports it tried when no agent is found', async () => {
    const ports = [await freePort(), await freePort()];
    const hooks = recordingHooks();
    const w = watch(ngrokConfig({ discoveryPorts: ports }), hooks);
    await waitFor('down', () => w.snapshot().state === 'down');
    expect(w.snapshot().error).toMatch(/^no ngrok agent API found on 127\.0\.0\.1 ports \d+, \d+; is it running\? If it listens elsewhere, set "api:"/);
    expect(w.snapshot().address).toBeNull();
  });

  it('tells a broken origin behind an up tunnel apart from a tunnel that is down', async () => {
    const a = await fakeNgrokAgent();
    const publicUrl = a.publicUrlFor('command_line');
    a.addTunnel({ name: 'command_line', publicUrl });
    const hooks = recordingHooks();
    const w = watch(ngrokConfig({ api: a.url, probe: { path: '/health', url: null, intervalMs: 1, timeoutMs: 1000 } }), hooks);
    await waitFor('up', () => w.snapshot().state === 'up');
    expect(w.snapshot().probe).toMatchObject({ ok: true, detail: `GET ${publicUrl}/health answered HTTP 200` });

    a.setOriginStatus(502);
    await waitFor('degraded', () => w.snapshot().state === 'degraded');
    expect(w.snapshot().error).toBe(`tunnel up but the origin behind it fails: GET ${publicUrl}/health answered HTTP 502`);
    expect(w.snapshot().probe?.ok).toBe(false);
    a.setOriginStatus(200);
    await waitFor('up again', () => w.snapshot().state === 'up');
  });

  it('restarts the agent service once when the tunnel stays down and auto-restart is on', async () => {
    const a = await fakeNgrokAgent();
    a.addTunnel({ name: 'command_line', publicUrl: 'https://a.ngrok.app' });
    const hooks = recordingHooks();
    hooks.onRestart = () => a.resume();
    const w = watch(ngrokConfig({ api: a.url, service: 'ngrok' }), hooks);
    await waitFor('up', () => w.snapshot().state === 'up');
    await a.stop();
    await waitFor('restart', () => hooks.restarts.length > 0);
    await waitFor('up again', () => w.snapshot().state === 'up');
    await morePolls(hooks, 3);
    expect(hooks.restarts).toEqual(['ngrok']);
    expect(eventsOf(hooks, 'tunnel.state').map((e) => e.service)).toEqual(['ngrok', 'ngrok', 'ngrok']);
  });

  it('restarts once, not again within the cool-off, when the restart does not help', async () => {
    const a = await fakeNgrokAgent();
    a.addTunnel({ name: 'command_line', publicUrl: 'https://a.ngrok.app' });
    const hooks = recordingHooks();
    const w = watch(ngrokConfig({ api: a.url, service: 'ngrok' }), hooks);
    await waitFor('up', () => w.snapshot().state === 'up');
    await a.stop();
    await waitFor('restart', () => hooks.restarts.length > 0);
    await morePolls(hooks, 5);
    expect(hooks.restarts).toEqual(['ngrok']);
    expect(w.snapshot().error).toMatch(/\(Vigil restarted service "ngrok" at .*\)$/);
  });

  it('does not restart when auto-restart is off', async () => {
    const a = await fakeNgrokAgent();
    a.addTunnel({ name: 'command_line', publicUrl: 'https://a.ngrok.app' });
    const hooks = recordingHooks();
    hooks.auto = false;
    const w = watch(ngrokConfig({ api: a.url, service: 'ngrok' }), hooks);
    await waitFor('up', () => w.snapshot().state === 'up');
    await a.stop();
    await waitFor('down', () => w.snapshot().state === 'down');
    await morePolls(hooks, 4);
    expect(hooks.restarts).toEqual([]);
  });

  it('restart() restarts the named service, and refuses when the tunnel names none', async () => {
    const a = await fakeNgrokAgent();
    const hooks = recordingHooks();
    const withService = new TunnelWatcher(ngrokConfig({ api: a.url, service: 'ngrok' }), hooks);
    await withService.restart();
    expect(hooks.restarts).toEqual(['ngrok']);
    const without = new TunnelWatcher(ngrokConfig({ api: a.url }), hooks);
    await expect(without.restart()).rejects.toThrow('tunnel "public" names no service that runs its agent, so Vigil cannot restart it: add "service: <name>" to its entry in the stack file');
  });
});
