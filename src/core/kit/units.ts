// Durations and sizes in a stack file are written for people ("500ms", "2s", "10MB") or as
// plain numbers (milliseconds, bytes). These parse them; zod reports what does not parse.

const DAY_MS = 86_400_000;
const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS, w: 7 * DAY_MS, y: 365 * DAY_MS };
const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1024,
  k: 1024,
  mb: 1024 ** 2,
  m: 1024 ** 2,
  gb: 1024 ** 3,
  g: 1024 ** 3,
};

function parseWithUnits(text: string, units: Record<string, number>): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!match) return null;
  const factor = units[(match[2] ?? '').toLowerCase() || Object.keys(units)[0]!];
  return factor === undefined ? null : Math.round(Number(match[1]) * factor);
}

/** "1.5s" -> 1500; null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  return parseWithUnits(text, DURATION_UNITS);
}

/** "10MB" -> 10485760; null when the text is not a size. */
export function parseSize(text: string): number | null {
  return parseWithUnits(text, SIZE_UNITS);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)}s`;
  if (ms < 3_600_000) return `${+(ms / 60_000).toFixed(1)}m`;
  if (ms < 2 * DAY_MS) return `${+(ms / 3_600_000).toFixed(1)}h`;
  return `${+(ms / DAY_MS).toFixed(1)}d`;
}
