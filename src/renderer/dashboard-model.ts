// The dashboard's data as a pure function of what arrives: snapshots, events, live messages.
import type { EngineEvent, LiveMessage, StateSnapshot } from '../shared/contract.ts';

export const EVENTS_KEPT = 100;

export interface DashboardModel {
  state: StateSnapshot | null;
  /** Oldest first, unique ids, at most EVENTS_KEPT. */
  events: EngineEvent[];
}

export const initialModel: DashboardModel = { state: null, events: [] };

/** A new engine run (a restart of Vigil): its events are fetched afresh rather than merged. */
function sameEngine(a: StateSnapshot | null, b: StateSnapshot): boolean {
  return a === null || (a.engine.pid === b.engine.pid && a.engine.startedAt === b.engine.startedAt);
}

export function withState(model: DashboardModel, state: StateSnapshot): DashboardModel {
  return { state, events: sameEngine(model.state, state) ? model.events : [] };
}

export function withEvents(model: DashboardModel, incoming: EngineEvent[], keep = EVENTS_KEPT): DashboardModel {
  if (incoming.length === 0) return model;
  const byId = new Map<number, EngineEvent>();
  for (const e of model.events) byId.set(e.id, e);
  for (const e of incoming) byId.set(e.id, e);
  const events = [...byId.values()].sort((a, b) => a.id - b.id).slice(-keep);
  return { ...model, events };
}

export function applyLive(model: DashboardModel, message: LiveMessage): DashboardModel {
  if (message.kind === 'state') return withState(model, message.state);
  if (message.kind === 'event') return withEvents(model, [message.event]);
  // `metrics` ticks: for the charts, which keep their own series; the same model, so React
  // skips the render.
  return model;
}
