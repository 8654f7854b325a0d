// Each service's availability over the last day and week, for the snapshot. Derived from the
// stored state changes (not sampled), which takes a few queries per service: so a service's
// figures are kept for up to 30 s, and recomputed sooner only when its state changed.
import type { ServiceUsage } from '../../shared/metrics.ts';

const DAY = 86_400_000;
export const AVAILABILITY_MAX_AGE_MS = 30_000;

type Availability = ServiceUsage['availability'];

/** Percent of [from, to] the service was up; null when none of it counts. */
export type AvailabilitySource = (service: string, from: number, to: number) => number | null;

export class AvailabilityCache {
  private readonly source: AvailabilitySource;
  private readonly now: () => number;
  private readonly maxAgeMs: number;
  private readonly cached = new Map<string, { at: number; value: Availability }>();

  constructor(source: AvailabilitySource, now: () => number, maxAgeMs = AVAILABILITY_MAX_AGE_MS) {
    this.source = source;
    this.now = now;
    this.maxAgeMs = maxAgeMs;
  }

  get(service: string): Availability {
    const now = this.now();
    const hit = this.cached.get(service);
    if (hit && now - hit.at < this.maxAgeMs) return hit.value;
    const value = { day: this.source(service, now - DAY, now), week: this.source(service, now - 7 * DAY, now) };
    this.cached.set(service, { at: now, value });
    return value;
  }

  /** The service changed state: its figures are recomputed at the next get(). */
  invalidate(service: string): void {
    this.cached.delete(service);
  }

  clear(): void {
    this.cached.clear();
  }
}
