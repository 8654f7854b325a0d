// The dashboard's live data and actions, from one EngineClient.
import { useCallback, useEffect, useReducer, useState } from 'react';
import type { LiveMessage, ServiceAction } from '../shared/contract.ts';
import type { ConnectionStatus, EngineClient } from './client/engine-client.ts';
import type { LiveHub } from './client/live-hub.ts';
import { applyLive, type DashboardModel, initialModel, withEvents, withState } from './dashboard-model.ts';

type ModelInput = { kind: 'live'; message: LiveMessage } | { kind: 'events'; events: DashboardModel['events'] } | { kind: 'state'; state: NonNullable<DashboardModel['state']> };

function reduce(model: DashboardModel, input: ModelInput): DashboardModel {
  switch (input.kind) {
    case 'live':
      return applyLive(model, input.message);
    case 'events':
      return withEvents(model, input.events);
    case 'state':
      return withState(model, input.state);
  }
}

const RECENT_EVENTS = 50;

export interface Dashboard extends DashboardModel {
  connection: ConnectionStatus;
  /** "service:action" keys of commands under way. */
  pending: ReadonlySet<string>;
  error: string | null;
  dismissError(): void;
  act(service: string, action: ServiceAction): void;
  setAutoRestart(enabled: boolean): void;
}

/** `live` is the page's one live connection to the engine (the charts listen to it too). */
export function useDashboard(client: EngineClient, live: LiveHub): Dashboard {
  const [model, dispatch] = useReducer(reduce, initialModel);
  const [connection, setConnection] = useState<ConnectionStatus>('connecting');
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    return live.subscribe(
      (message) => {
        // Ticks are the charts' business (each chart's feed); the model never changes for them.
        if (message.kind !== 'metrics') dispatch({ kind: 'live', message });
      },
      (status) => {
        setConnection(status);
        // Whatever happened while disconnected: fetch the recent events again.
        if (status === 'open') {
          client.getEvents({ limit: RECENT_EVENTS }).then(
            (events) => dispatch({ kind: 'events', events }),
            () => {},
          );
        }
      },
    );
  }, [client, live]);

  const track = useCallback(<T,>(key: string, work: () => Promise<T>, after?: (result: T) => void) => {
    setPending((p) => new Set(p).add(key));
    work()
      .then((result) => {
        setError(null);
        after?.(result);
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
      .finally(() =>
        setPending((p) => {
          const next = new Set(p);
          next.delete(key);
          return next;
        }),
      );
  }, []);

  const act = useCallback((service: string, action: ServiceAction) => track(`${service}:${action}`, () => client.act(service, action)), [client, track]);

  const setAutoRestart = useCallback(
    (enabled: boolean) => track('auto-restart', () => client.setAutoRestart({ enabled }), (state) => dispatch({ kind: 'state', state })),
    [client, track],
  );

  return { ...model, connection, pending, error, dismissError: () => setError(null), act, setAutoRestart };
}

/** The current time, updated every `everyMs` (for uptimes). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
