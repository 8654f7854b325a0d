// The time ranges a chart shows, and the step each asks the history for: about a thousand
// points or fewer per line, which a 1000 px chart draws one per pixel or so.
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface TimeRange {
  id: '15m' | '1h' | '24h' | '7d';
  label: string;
  windowMs: number;
  /** 1 s: raw samples as taken; 5 s: raw merged; 1 min: the minute rollups; 10 min: those merged. */
  stepMs: number;
}

export const TIME_RANGES: readonly TimeRange[] = [
  { id: '15m', label: '15 min', windowMs: 15 * MINUTE, stepMs: 1000 },
  { id: '1h', label: '1 h', windowMs: HOUR, stepMs: 5000 },
  { id: '24h', label: '24 h', windowMs: DAY, stepMs: MINUTE },
  { id: '7d', label: '7 d', windowMs: 7 * DAY, stepMs: 10 * MINUTE },
];

export const DEFAULT_RANGE: TimeRange = TIME_RANGES[0]!;

export function rangeById(id: string | null | undefined): TimeRange {
  return TIME_RANGES.find((r) => r.id === id) ?? DEFAULT_RANGE;
}
