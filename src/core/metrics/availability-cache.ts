// Each service's availability over the last day and week, for the snapshot. Derived from the
// stored state changes (not sampled), which takes a few queries per service: so a service's
// spans are kept for up to 30 s and recomputed sooner only when its state changed. Between
// two computations the service keeps the standing it had (any change invalidates), so the
// time since is added to that side: a service that just came up does not read 0 % for 30 s.
import type { ServiceUsage } from '../../shared/metrics.ts';
import type { AvailabilityStanding } from './store/availability.ts';

const DAY = 86_400_000;
export const AVAILABILITY_MAX_AGE_MS = 30_000;

type Availability = ServiceUsage['availability'];

/** Up and down time in a range, and how the service stood at its end; null when unknown
 * (no history). */
export type AvailabilitySource = (service: string, from: number, to: number) => { upMs: number; downMs: number; standing: AvailabilityStanding } | null;

interface Spans {
  upMs: number;
  downMs: number;
}

interface Computed {
  at: number;
  standing: AvailabilityStanding;
  day: Spans | null;
  week: Spans | null;
}

function percentOf(spans: Spans | null, standing: AvailabilityStanding, elapsedMs: number): number | null {
  if (!spans) return null;
  const up = spans.upMs + (standing === 'up' ? elapsedMs : 0);
  const down = spans.downMs + (standing === 'down' ? elapsedMs : 0);
  return up + down > 0 ? (up / (up + down)) * 100 : null;
}

export class AvailabilityCache {
  private readonly source: AvailabilitySource;
  private readonly now: () => number;
  private readonly maxAgeMs: number;
  private readonly cached = new Map<string, Computed>();

  constructor(source: AvailabilitySource, now: () => number, maxAgeMs = AVAILABILITY_MAX_AGE_MS) {
    this.source = source;
    this.now = now;
    this.maxAgeMs = maxAgeMs;
  }

  get(service: string): Availability {
    const now = this.now();
    let hit = this.cached.get(service);
    if (!hit || now - hit.at >= this.maxAgeMs) {
      const day = this.source(service, now - DAY, now);
      const week = this.source(service, now - 7 * DAY, now);
      hit = { at: now, standing: day?.standing ?? 'excluded', day, week };
      this.cached.set(service, hit);
    }
    const elapsed = now - hit.at;
    return { day: percentOf(hit.day, hit.standing, elapsed), week: percentOf(hit.week, hit.standing, elapsed) };
  }

  /** The service changed state: its figures are recomputed at the next get(). */
  invalidate(service: string): void {
    this.cached.delete(service);
  }

  clear(): void {
    this.cached.clear();
  }
}
