// What a metrics query names, checked the same way wherever it comes from (the HTTP route, the
// MessagePort, the CLI through HTTP): each series an exact key, or a bare name that stands for
// every series of that name; the range and the step whole milliseconds. A mistake is a
// MetricsRequestError naming the field, with the closest series names for a typo.
import { distance } from 'fastest-levenshtein';
import { parseSeriesKey } from '../../shared/metrics.ts';

export class MetricsRequestError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`"${field}": ${message}`);
    this.name = 'MetricsRequestError';
    this.field = field;
  }
}

/** The history file could not be opened (or is closed): no query can be answered. */
export class HistoryUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryUnavailableError';
  }
}

/** The last hour, when a query does not say. */
export const DEFAULT_RANGE_MS = 3_600_000;
/** Series one query may ask for (a bare name included: its label sets count). */
export const MAX_QUERY_SERIES = 200;

/** Prometheus' rule for metric names. */
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** The keys `wanted` stands for, in the order asked, each once. */
export function resolveSeriesKeys(wanted: readonly string[], known: readonly string[]): string[] {
  if (wanted.length === 0) throw new MetricsRequestError('series', 'name at least one series (see GET /api/metrics/series)');
  const exact = new Set(known);
  const resolved = new Set<string>();
  for (const asked of wanted) {
    if (exact.has(asked)) {
      resolved.add(asked);
      continue;
    }
    let name: string;
    try {
      name = parseSeriesKey(asked).name;
    } catch (err) {
      throw new MetricsRequestError('series', (err as Error).message);
    }
    if (!METRIC_NAME.test(name)) throw new MetricsRequestError('series', `${show(asked)} is not a series name (letters, digits, _ and :, not starting with a digit)`);
    const ofName = asked.includes('{') ? [] : known.filter((key) => key === name || key.startsWith(`${name}{`));
    if (ofName.length === 0) throw new MetricsRequestError('series', `no series ${show(asked)}${suggestion(asked, known)}`);
    for (const key of ofName) resolved.add(key);
  }
  if (resolved.size > MAX_QUERY_SERIES) throw new MetricsRequestError('series', `names ${resolved.size} series; at most ${MAX_QUERY_SERIES} per query`);
  return [...resolved];
}

/** The range and step of a query: `to` defaults to now, `from` to DEFAULT_RANGE_MS before it. */
export function queryRange(params: { from?: number; to?: number; step?: number }, now: number): { from: number; to: number; step: number } {
  for (const field of ['from', 'to', 'step'] as const) {
    const value = params[field];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
      throw new MetricsRequestError(field, `must be a whole number of ms >= 0${field === 'step' ? '' : ' since the epoch'}, got ${show(value)}`);
    }
  }
  const to = params.to ?? now;
  const from = params.from ?? Math.max(0, to - DEFAULT_RANGE_MS);
  if (from > to) throw new MetricsRequestError('from', `must not be after "to" (${from} > ${to})`);
  return { from, to, step: params.step ?? 0 };
}

/** Up to three known series close to a mistyped one, as " (did you mean ...?)". */
function suggestion(asked: string, known: readonly string[]): string {
  const names = [...new Set(known.map((key) => key.split('{')[0]!))];
  const askedName = asked.split('{')[0]!;
  const pool = asked.includes('{') ? known : names;
  const target = asked.includes('{') ? asked : askedName;
  const close = pool
    .map((candidate) => ({ candidate, d: candidate.includes(target) ? 0 : distance(target, candidate) }))
    .filter(({ d }) => d <= Math.max(2, Math.floor(target.length / 3)))
    .sort((a, b) => a.d - b.d || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map(({ candidate }) => show(candidate));
  return close.length > 0 ? ` (did you mean ${close.join(', ')}?)` : '; GET /api/metrics/series (or `vigil metrics`) lists them';
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
