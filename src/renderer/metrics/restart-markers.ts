// The moments a service's charts mark on their time axis, from its events: an exit, a start,
// a restart (an exit and the start that followed it, as one mark), a new definition. Pure.
import type { EngineEvent } from '../../shared/events.ts';
import type { HistoryEvent, StoredEvent } from '../../shared/metrics.ts';

export type MarkerKind = 'restart' | 'exit' | 'start' | 'redefined';

export interface TimeMarker {
  t: number;
  kind: MarkerKind;
  /** What happened, for the tooltip and the chart's accessible summary. */
  label: string;
}

/** A start this soon after an exit is the same restart (backoff waits at most a minute). */
const RESTART_WITHIN_MS = 60_000;

/** A live event in the stored events' shape (ms time), so both merge into one list. */
export function storedFromLive(event: EngineEvent): StoredEvent | null {
  const t = Date.parse(event.time);
  return Number.isFinite(t) ? { seq: -event.id, t, event } : null;
}

function isStart(event: HistoryEvent): boolean {
  return event.type === 'service.state' && event.to === 'starting';
}

/** Markers for `service` in [from, to], oldest first. */
export function restartMarkers(events: readonly StoredEvent[], service: string, from: number, to: number): TimeMarker[] {
  const mine = events
    .filter((e) => e.event.service === service && e.t >= from && e.t <= to)
    .filter((e) => e.event.type === 'service.exit' || e.event.type === 'service.redefined' || isStart(e.event))
    .sort((a, b) => a.t - b.t);
  const markers: TimeMarker[] = [];
  let exit: TimeMarker | null = null;
  const seen = new Set<string>();
  for (const { t, event } of mine) {
    // The same event may come twice: from the history query and live.
    const id = `${t}|${event.type}|${event.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    if (event.type === 'service.exit') {
      if (exit) markers.push(exit);
      exit = { t, kind: 'exit', label: event.message || 'exited' };
    } else if (event.type === 'service.redefined') {
      markers.push({ t, kind: 'redefined', label: event.message || 'definition changed' });
    } else if (exit && t - exit.t <= RESTART_WITHIN_MS) {
      markers.push({ t: exit.t, kind: 'restart', label: `restarted (${exit.label})` });
      exit = null;
    } else {
      if (exit) markers.push(exit);
      exit = null;
      markers.push({ t, kind: 'start', label: 'started' });
    }
  }
  if (exit) markers.push(exit);
  return markers.sort((a, b) => a.t - b.t);
}
