// Availability of a service over a time range, from its recorded state transitions, counted
// the way Uptime Kuma counts uptime: the share of the watched time the service was up.
//   up        running
//   down      starting, unhealthy, backoff, crash-looping, and stopped for any reason other
//             than the two below
//   neither   stopped because the user asked for it ('user') or because it left the stack
//             file ('removed'): not the service's fault, so not in the denominator either
//   unknown   before the first transition, while no Vigil engine ran (from an engine.stop
//             marker, or from the last sign of life of an engine that died, to the next
//             engine.start), and from an engine start until the service's first state in
//             that run: excluded as well
import type { ServiceState } from '../../../shared/contract.ts';

export type AvailabilityTransition =
  | { t: number; kind: 'state'; to: ServiceState; reason: string | null }
  | { t: number; kind: 'engine.start' | 'engine.stop' };

export interface AvailabilitySpans {
  upMs: number;
  downMs: number;
  /** Time counted neither way: unknown, or stopped by the user or removed. */
  excludedMs: number;
  /** upMs / (upMs + downMs) × 100, or null when no time in the range counts. */
  percent: number | null;
  /** How the service stood at the end of the range: until its next transition, time after
   * the range counts this way (the snapshot's cache extends its figures with it). */
  standing: AvailabilityStanding;
}

export type AvailabilityStanding = 'up' | 'down' | 'excluded';
type Standing = AvailabilityStanding;

function standingAfter(transition: AvailabilityTransition): Standing {
  if (transition.kind !== 'state') return 'excluded';
  if (transition.to === 'running') return 'up';
  if (transition.to === 'stopped' && (transition.reason === 'user' || transition.reason === 'removed')) return 'excluded';
  return 'down';
}

/** Transitions at any time (those before `from` set the standing at `from`). */
export function availabilityOf(transitions: readonly AvailabilityTransition[], from: number, to: number): AvailabilitySpans {
  const spans = { up: 0, down: 0, excluded: 0 };
  let standing: Standing = 'excluded';
  let since = from;
  const ordered = [...transitions].sort((a, b) => a.t - b.t); // stable: same-ms order kept
  for (const transition of ordered) {
    if (transition.t > to) break;
    const at = Math.max(transition.t, from);
    spans[standing] += at - since;
    since = at;
    standing = standingAfter(transition);
  }
  if (to > since) spans[standing] += to - since;
  const counted = spans.up + spans.down;
  return {
    upMs: spans.up,
    downMs: spans.down,
    excludedMs: spans.excluded,
    percent: counted > 0 ? (spans.up / counted) * 100 : null,
    standing,
  };
}
