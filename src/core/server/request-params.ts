// Numbers in a request's path or query string. Only plain decimal digits count: Number()
// alone would take "0x50", " 80" or "1e3", and a port read loosely is a process killed by
// mistake (POST /api/ports/:port/free).
import { describeValue, HttpError } from './http-error.ts';

const DECIMAL = /^(0|[1-9]\d*)$/;

/** A whole number >= 0 from the query string; `fallback` when absent; at most `max`. */
export function wholeNumberParam(value: string | null, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === null) return fallback;
  const n = DECIMAL.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new HttpError(400, `"${name}" must be a whole number >= 0, got ${describeValue(value)}`);
  return Math.min(n, max);
}

export function portParam(value: string, name = 'port'): number {
  const n = DECIMAL.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new HttpError(400, `"${name}" must be a port number (1-65535), got ${describeValue(value)}`);
  return n;
}
