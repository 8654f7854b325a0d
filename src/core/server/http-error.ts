// An answer other than 200 that a route or a request check decides on: the status and a
// message for the caller, which says what was wrong and where.
export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
  }
}

/** A value from a request, quoted for a message: short, and safe for any input (a 30 000-deep
 * array must not overflow JSON.stringify while saying what it is). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return String(value);
}
