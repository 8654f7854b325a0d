// The app transport against a stand-in for the preload's window.vigil: the same EngineClient
// calls must come out as the bridge's named actions.
import { describe, expect, it, vi } from 'vitest';
import type { VigilBridge } from '../../src/shared/contract.ts';
import { BridgeClient } from '../../src/renderer/client/bridge-client.ts';
import type { LiveMessage, MetricPoint, MetricsQueryParams } from '../../src/shared/contract.ts';
import { service, snapshot } from '../main/snapshots.ts';

function fakeBridge() {
  const live = new Set<(m: LiveMessage) => void>();
  const connection = new Set<(c: boolean) => void>();
  const state = snapshot([service('api')]);
  const bridge = {
    getState: vi.fn(async () => state),
    getEvents: vi.fn(async () => []),
    listSeries: vi.fn(async () => [{ key: 'system_cpu_percent', name: 'system_cpu_percent', labels: {}, kind: 'gauge' as const, firstAt: 1000, lastAt: 5000 }]),
    queryMetrics: vi.fn(async (request: MetricsQueryParams) =>
      request.series.map((series) => ({ series, tier: 'raw' as const, step: 0, points: [[1000, 1, 1, 1] as MetricPoint] })),
    ),
    start: vi.fn(async (s: string) => [s]),
    stop: vi.fn(async (s: string) => [s]),
    restart: vi.fn(async (s: string) => [s]),
    setAutoRestart: vi.fn(async () => state),
    onLive: vi.fn((l: (m: LiveMessage) => void) => {
      live.add(l);
      return () => void live.delete(l);
    }),
    onConnection: vi.fn((l: (c: boolean) => void) => {
      connection.add(l);
      return () => void connection.delete(l);
    }),
    openService: vi.fn(async () => {}),
    hideWindow: vi.fn(async () => {}),
    flyTokenStatus: vi.fn(async () => ({ stored: false, encryption: true })),
    setFlyToken: vi.fn(async () => ({ stored: true })),
  } satisfies VigilBridge;
  return { bridge, live, connection, state };
}

describe('BridgeClient', () => {
  it('maps actions to the named bridge calls', async () => {
    const { bridge } = fakeBridge();
    const client = new BridgeClient(bridge);
    await client.act('api', 'restart');
    await client.act('api', 'stop');
    await client.getEvents({ since: 3, limit: 20 });
    await client.setAutoRestart({ enabled: false });
    expect(bridge.restart).toHaveBeenCalledWith('api');
    expect(bridge.stop).toHaveBeenCalledWith('api');
    expect(bridge.getEvents).toHaveBeenCalledWith(3, 20);
    expect(bridge.setAutoRestart).toHaveBeenCalledWith({ enabled: false });
  });

  it('reports the connection, fetches the state on connect, and unsubscribes fully', async () => {
    const { bridge, live, connection, state } = fakeBridge();
    const client = new BridgeClient(bridge);
    const messages: LiveMessage[] = [];
    const statuses: string[] = [];
    const stop = client.subscribe((m) => messages.push(m), (s) => statuses.push(s));
    connection.forEach((l) => l(true));
    await vi.waitFor(() => expect(messages).toEqual([{ kind: 'state', state }]));
    connection.forEach((l) => l(false));
    expect(statuses).toEqual(['connecting', 'open', 'closed']);
    stop();
    expect(live.size).toBe(0);
    expect(connection.size).toBe(0);
  });
});

describe('metrics through the bridge', () => {
  it('lists series and queries them with the request as given', async () => {
    const { bridge } = fakeBridge();
    const client = new BridgeClient(bridge);
    await expect(client.listSeries()).resolves.toEqual([expect.objectContaining({ key: 'system_cpu_percent', firstAt: 1000 })]);
    const request = { series: ['system_cpu_percent', 'service_cpu_percent{service="api"}'], from: 1000, to: 61_000, step: 10_000 };
    const results = await client.queryMetrics(request);
    expect(bridge.queryMetrics).toHaveBeenCalledWith(request);
    expect(results.map((r) => r.series)).toEqual(request.series);
  });

  it('asks for an older page of events with before', async () => {
    const { bridge } = fakeBridge();
    const client = new BridgeClient(bridge);
    await client.getEvents({ limit: 50, before: 120 });
    expect(bridge.getEvents).toHaveBeenCalledWith(undefined, 50, 120);
  });

  it('passes metrics ticks on to the subscriber', () => {
    const { bridge, live } = fakeBridge();
    const client = new BridgeClient(bridge);
    const messages: LiveMessage[] = [];
    const stop = client.subscribe((m) => messages.push(m));
    const tick: LiveMessage = { kind: 'metrics', tick: { t: 2000, values: { system_cpu_percent: 3 } } };
    live.forEach((l) => l(tick));
    expect(messages).toEqual([tick]);
    stop();
  });
});

describe('the Fly.io token in the app', () => {
  it('goes to the bridge, and the store object stays the same for the client\'s life', async () => {
    const { bridge } = fakeBridge();
    const client = new BridgeClient(bridge);
    expect(client.flyToken).toBe(client.flyToken);
    await expect(client.flyToken.set('fo1_x')).resolves.toEqual({ stored: true });
    expect(bridge.setFlyToken).toHaveBeenCalledWith('fo1_x');
    await expect(client.flyToken.status()).resolves.toEqual({ stored: false, encryption: true });
  });
});
