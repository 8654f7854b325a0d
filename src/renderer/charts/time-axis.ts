// The time axis of the charts: a plain linear axis over milliseconds, with ticks placed and
// worded here instead of by a date library (chart.js's time scale needs a date adapter, and
// this is all the charts ask of one). Pure; local time comes in as an offset so tests are
// the same in every time zone.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Tick spacings a reader counts in without effort, smallest first. */
const STEPS = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
];

/** The local time zone's offset from UTC at `t`, in ms (east positive). */
export function localOffsetMs(t: number): number {
  return -new Date(t).getTimezoneOffset() * MINUTE;
}

/** The smallest of the usual spacings that puts at most `maxTicks` ticks on [min, max]. */
export function tickStep(min: number, max: number, maxTicks: number): number {
  const span = Math.max(0, max - min);
  for (const step of STEPS) if (span / step <= Math.max(1, maxTicks)) return step;
  return Math.ceil(span / Math.max(1, maxTicks) / DAY) * DAY;
}

/** Tick times on [min, max] at a usual spacing, on round local times (14:00, 14:15; midnight
 * for days). `offsetAt` gives the local zone's offset (localOffsetMs in the page). */
export function timeTicks(min: number, max: number, maxTicks: number, offsetAt: (t: number) => number = localOffsetMs): { step: number; ticks: number[] } {
  if (!(Number.isFinite(min) && Number.isFinite(max)) || max < min) return { step: SECOND, ticks: [] };
  const step = tickStep(min, max, maxTicks);
  const offset = offsetAt(min);
  // Local time is UTC shifted by the offset: round there, shift back.
  let t = Math.ceil((min + offset) / step) * step - offset;
  const ticks: number[] = [];
  for (; t <= max && ticks.length <= maxTicks + 1; t += step) ticks.push(t);
  return { step, ticks };
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const pad = (n: number) => String(n).padStart(2, '0');

/** A tick's words, as precise as its spacing needs: "14:05:30" for seconds, "14:05" for
 * minutes and hours, "Tue 12" at midnight or for day steps. */
export function formatTimeTick(t: number, step: number, offsetAt: (t: number) => number = localOffsetMs): string {
  const local = new Date(t + offsetAt(t));
  const hh = pad(local.getUTCHours());
  const mm = pad(local.getUTCMinutes());
  const midnight = local.getUTCHours() === 0 && local.getUTCMinutes() === 0 && local.getUTCSeconds() === 0;
  if (step >= DAY || (step >= HOUR && midnight)) return `${WEEKDAYS[local.getUTCDay()]} ${local.getUTCDate()}`;
  if (step < MINUTE) return `${hh}:${mm}:${pad(local.getUTCSeconds())}`;
  return `${hh}:${mm}`;
}

/** A point's time in a tooltip or summary: "Tue 12 14:05:30". */
export function formatInstant(t: number, offsetAt: (t: number) => number = localOffsetMs): string {
  const local = new Date(t + offsetAt(t));
  return `${WEEKDAYS[local.getUTCDay()]} ${local.getUTCDate()} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
}
