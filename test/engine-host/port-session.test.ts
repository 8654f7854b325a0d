// The engine-host protocol end to end over a real MessageChannel (Node's, standing in for
// Electron's): the host's session on one end, the client used by main and the preload on the other.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { EnginePortClient } from '../../src/shared/port-client.ts';
import { type EngineForPort, parseCall, servePort } from '../../src/engine-host/port-session.ts';
import type { Endpoint } from '../../src/shared/endpoints.ts';
import { EventLog } from '../../src/core/event-log.ts';
import type { AutoRestartRequest, LiveMessage, MetricsTick, ServiceAction, StateSnapshot } from '../../src/shared/contract.ts';
import { service, snapshot } from '../main/snapshots.ts';

function endpoint(port: MessagePort): Endpoint {
  return {
    send: (message) => port.postMessage(message),
    onMessage: (listener) => void port.on('message', listener),
    onClose: (listener) => void port.on('close', listener),
    close: () => port.close(),
  };
}

class FakeEngine implements EngineForPort {
  readonly events = new EventLog();
  readonly stateListeners = new Set<(state: StateSnapshot) => void>();
  readonly acts: Array<[string, ServiceAction]> = [];
  state = snapshot([service('api'), service('worker')]);
  hang = false;
  readonly tickListeners = new Set<(tick: MetricsTick) => void>();
  watchers = 0;
  readonly metrics = {
    series: () => [],
    queryMany: () => {
      throw new Error('"series": no series "x"');
    },
    onTick: (listener: (tick: MetricsTick) => void) => {
      this.tickListeners.add(listener);
      return () => void this.tickListeners.delete(listener);
    },
    watch: () => {
      this.watchers++;
      return () => void this.watchers--;
    },
  };

  eventPage(query: { since?: number; before?: number; limit?: number }) {
    return this.events.page(query.since, query.before, query.limit);
  }

  snapshot() {
    return this.state;
  }
  onState(listener: (state: StateSnapshot) => void) {
    this.stateListeners.add(listener);
    return () => void this.stateListeners.delete(listener);
  }
  push(state: StateSnapshot) {
    this.state = state;
    this.stateListeners.forEach((l) => l(state));
  }
  act(name: string, action: ServiceAction) {
    if (this.hang) return new Promise<string[]>(() => {});
    if (!this.state.services.some((s) => s.name === name)) return Promise.reject(new Error(`no service "${name}" in the stack`));
    this.acts.push([name, action]);
    return Promise.resolve([name]);
  }
  setAutoRestart(request: AutoRestartRequest) {
    this.state = { ...this.state, autoRestart: request.enabled ?? this.state.autoRestart };
    return this.state;
  }
  readonly tunnelRestarts: string[] = [];
  restartTunnel(name: string) {
    if (name !== 'public') return Promise.reject(new Error(`no tunnel named "${name}"`));
    this.tunnelRestarts.push(name);
    return Promise.resolve();
  }
}

const open: Array<{ close(): void }> = [];
afterEach(() => open.splice(0).forEach((p) => p.close()));

function connect(engine: FakeEngine, timeoutMs?: number, looking = true) {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  const end = servePort(endpoint(port1), engine, { looking });
  const client = new EnginePortClient(endpoint(port2), { timeoutMs });
  const live: LiveMessage[] = [];
  client.onLive((m) => live.push(m));
  return { client, live, end, hostPort: port1, clientPort: port2 };
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('engine port: session and client', () => {
  it('sends the state first, then answers calls', async () => {
    const engine = new FakeEngine();
    const { client, live } = connect(engine);
    await until(() => live.length > 0);
    expect(live[0]).toEqual({ kind: 'state', state: engine.state });
    await expect(client.call({ method: 'state' })).resolves.toEqual(engine.state);
    await expect(client.call({ method: 'act', service: 'api', action: 'restart' })).resolves.toEqual(['api']);
    expect(engine.acts).toEqual([['api', 'restart']]);
    await expect(client.call({ method: 'set-auto-restart', request: { enabled: false } })).resolves.toMatchObject({ autoRestart: false });
  });

  it('lists recent events and pushes new ones and state changes', async () => {
    const engine = new FakeEngine();
    engine.events.append({ type: 'config.applied', service: null, message: 'loaded 2 services' });
    const { client, live } = connect(engine);
    await expect(client.call({ method: 'events', since: 0, limit: 10 })).resolves.toMatchObject([{ id: 1, message: 'loaded 2 services' }]);
    engine.events.append({ type: 'service.exit', service: 'api', message: 'exited with code 1 after 2s', exitCode: 1 });
    engine.push(snapshot([service('api', { state: 'backoff', reason: 'crash' })]));
    await until(() => live.length >= 3);
    expect(live.slice(1).map((m) => m.kind)).toEqual(['event', 'state']);
  });

  it("passes the engine's errors back to the caller", async () => {
    const { client } = connect(new FakeEngine());
    await expect(client.call({ method: 'act', service: 'nope', action: 'stop' })).rejects.toThrow('no service "nope" in the stack');
    await expect(client.call({ method: 'set-auto-restart', request: { enabled: null } })).rejects.toThrow('the global auto-restart switch is on or off, not null');
  });

  it('answers a malformed call with an error and ignores junk, and keeps serving', async () => {
    const engine = new FakeEngine();
    const { client, clientPort } = connect(engine);
    const replies: unknown[] = [];
    clientPort.on('message', (m: { kind: string }) => m.kind === 'reply' && replies.push(m));
    clientPort.postMessage({ id: 900, call: { method: 'act', service: 'api', action: 'rm -rf' } });
    clientPort.postMessage({ id: 901, call: { method: 'eval', code: '1' } });
    clientPort.postMessage('hello');
    clientPort.postMessage(null);
    await until(() => replies.length >= 2);
    expect(replies).toEqual([
      { kind: 'reply', id: 900, ok: false, error: expect.stringMatching(/^refused a malformed request \(call\.action: /) },
      { kind: 'reply', id: 901, ok: false, error: expect.stringMatching(/^refused a malformed request/) },
    ]);
    expect(engine.acts).toEqual([]);
    await expect(client.call({ method: 'state' })).resolves.toEqual(engine.state);
  });

  it('ends the session when the client goes away, unsubscribing from the engine', async () => {
    const engine = new FakeEngine();
    const { client } = connect(engine);
    await client.call({ method: 'state' });
    expect(engine.stateListeners.size).toBe(1);
    expect(engine.tickListeners.size).toBe(1);
    expect(engine.watchers).toBe(1);
    client.close();
    await until(() => engine.stateListeners.size === 0);
    expect(engine.tickListeners.size).toBe(0);
    expect(engine.watchers).toBe(0);
  });

  it("sends a window's port each metrics tick and counts it as looking; main's own port neither", async () => {
    const engine = new FakeEngine();
    const tray = connect(engine, undefined, false);
    await tray.client.call({ method: 'state' });
    expect(engine.watchers).toBe(0);
    expect(engine.tickListeners.size).toBe(0);
    const window = connect(engine);
    await window.client.call({ method: 'state' });
    expect(engine.watchers).toBe(1);
    const tick = { t: 1000, values: { system_cpu_percent: 12.5 } };
    engine.tickListeners.forEach((l) => l(tick));
    await until(() => window.live.some((m) => m.kind === 'metrics'));
    expect(window.live.find((m) => m.kind === 'metrics')).toEqual({ kind: 'metrics', tick });
    expect(tray.live.some((m) => m.kind === 'metrics')).toBe(false);
  });

  it('fails pending calls when the engine goes away, and refuses new ones', async () => {
    const engine = new FakeEngine();
    engine.hang = true;
    const { client, end } = connect(engine);
    const pending = client.call({ method: 'act', service: 'api', action: 'restart' });
    end();
    await expect(pending).rejects.toThrow('the engine closed the connection');
    expect(client.isClosed).toBe(true);
    await expect(client.call({ method: 'state' })).rejects.toThrow('not connected to the engine');
  });

  it('gives up on a call the engine never answers', async () => {
    const engine = new FakeEngine();
    engine.hang = true;
    const { client } = connect(engine, 50);
    await expect(client.call({ method: 'act', service: 'api', action: 'stop' })).rejects.toThrow('the engine did not answer "act" within 0.05s');
  });
});

describe('parseCall', () => {
  it('accepts each request kind', () => {
    for (const call of [
      { method: 'state' },
      { method: 'events' },
      { method: 'events', since: 4, limit: 10 },
      { method: 'events', since: 4, before: 90, limit: 10 },
      { method: 'metrics-series' },
      { method: 'metrics-query', series: ['system_cpu_percent'] },
      { method: 'metrics-query', series: ['service_cpu_percent'], from: 0, to: 5000, step: 1000 },
      { method: 'act', service: 'api', action: 'start' },
      { method: 'set-auto-restart', request: { enabled: null, service: 'api' } },
    ]) {
      expect(parseCall({ id: 1, call }).ok).toBe(true);
    }
  });

  it('refuses extra keys, wrong types and unknown methods', () => {
    expect(parseCall({ id: 1, call: { method: 'state', extra: 1 } })).toMatchObject({ ok: false, id: 1 });
    expect(parseCall({ id: 2, call: { method: 'events', since: -1 } })).toMatchObject({ ok: false, id: 2 });
    expect(parseCall({ id: 'x', call: { method: 'state' } })).toMatchObject({ ok: false, id: null });
    expect(parseCall({ id: 3, call: { method: 'act', service: '', action: 'start' } })).toMatchObject({ ok: false, id: 3 });
    expect(parseCall({ id: 4, call: { method: 'metrics-query', series: [] } })).toMatchObject({ ok: false, id: 4 });
    expect(parseCall({ id: 5, call: { method: 'metrics-query', series: 'system_cpu_percent' } })).toMatchObject({ ok: false, id: 5 });
    expect(parseCall({ id: 6, call: { method: 'metrics-query', series: ['x'], step: -1 } })).toMatchObject({ ok: false, id: 6, error: expect.stringContaining('call.step') });
    expect(parseCall({ id: 7, call: { method: 'metrics-query', series: ['x'], from: 1.5 } })).toMatchObject({ ok: false, id: 7, error: expect.stringContaining('call.from') });
    expect(parseCall({ id: 8, call: { method: 'metrics-series', series: ['x'] } })).toMatchObject({ ok: false, id: 8 });
  });
});
