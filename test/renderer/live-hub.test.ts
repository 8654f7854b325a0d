import { describe, expect, it } from 'vitest';
import type { LiveMessage } from '../../src/shared/contract.ts';
import type { ConnectionStatus } from '../../src/renderer/client/engine-client.ts';
import { LiveHub } from '../../src/renderer/client/live-hub.ts';
import { snapshot } from '../main/snapshots.ts';

function client() {
  let opened = 0;
  let closed = 0;
  let send: (m: LiveMessage) => void = () => {};
  let status: (s: ConnectionStatus) => void = () => {};
  return {
    counts: () => ({ opened, closed }),
    send: (m: LiveMessage) => send(m),
    status: (s: ConnectionStatus) => status(s),
    subscribe(listener: (m: LiveMessage) => void, onStatus?: (s: ConnectionStatus) => void) {
      opened++;
      send = listener;
      status = onStatus ?? (() => {});
      return () => void closed++;
    },
  };
}

describe('live hub', () => {
  it('opens one connection for every listener, and closes it after the last', () => {
    const c = client();
    const hub = new LiveHub(c);
    const a: LiveMessage[] = [];
    const b: LiveMessage[] = [];
    const offA = hub.subscribe((m) => a.push(m));
    const offB = hub.subscribe((m) => b.push(m));
    expect(c.counts()).toEqual({ opened: 1, closed: 0 });
    c.send({ kind: 'metrics', tick: { t: 1, values: {} } });
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    offA();
    expect(c.counts().closed).toBe(0);
    offB();
    expect(c.counts()).toEqual({ opened: 1, closed: 1 });
  });

  it('tells a late listener the status and the latest state at once', () => {
    const c = client();
    const hub = new LiveHub(c);
    hub.subscribe(() => {});
    c.status('open');
    const state = snapshot([]);
    c.send({ kind: 'state', state });
    c.send({ kind: 'metrics', tick: { t: 1, values: {} } });
    const late: LiveMessage[] = [];
    const statuses: ConnectionStatus[] = [];
    hub.subscribe(
      (m) => late.push(m),
      (s) => statuses.push(s),
    );
    expect(statuses).toEqual(['open']);
    expect(late).toEqual([{ kind: 'state', state }]);
  });
});
