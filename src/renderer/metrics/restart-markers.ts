// The moments a service's charts mark on their time axis, from its events: an exit, a start,
// a restart (an exit and the start that followed it, as one mark), a new definition. Pure.
import type { EngineEvent } from '../../shared/events.ts';

export type MarkerKind = 'restart' | 'exit' | 'start' | 'redefined';

export interface TimeMarker {
  t: number;
  kind: MarkerKind;
  /** What happened, for the list under the charts and the charts' accessible summary. */
  label: string;
}

/** A start this soon after an exit is the same restart (backoff waits at most a minute). */
const RESTART_WITHIN_MS = 60_000;

function isStart(event: EngineEvent): boolean {
  return event.type === 'service.state' && event.to === 'starting';
}

/** Markers for `service` in [from, to], oldest first. The events may come in any order and
 * more than once (from the stored pages and live): ids tell them apart. */
export function restartMarkers(events: readonly EngineEvent[], service: string, from: number, to: number): TimeMarker[] {
  const byId = new Map<number, { t: number; event: EngineEvent }>();
  for (const event of events) {
    if (event.service !== service) continue;
    if (event.type !== 'service.exit' && event.type !== 'service.redefined' && !isStart(event)) continue;
    const t = Date.parse(event.time);
    if (Number.isFinite(t) && t >= from && t <= to) byId.set(event.id, { t, event });
  }
  const mine = [...byId.values()].sort((a, b) => a.t - b.t || a.event.id - b.event.id);
  const markers: TimeMarker[] = [];
  let exit: TimeMarker | null = null;
  for (const { t, event } of mine) {
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
