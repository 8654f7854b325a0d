// Checks request bodies by hand: they are tiny, and the engine keeps the schema library out
// of its process (see config/load-stack-isolated.ts for why). Every refusal names the field.
import type { AutoRestartRequest } from '../../shared/contract.ts';
import { describeValue, HttpError } from './http-error.ts';

const AUTO_RESTART_SHAPE = 'expected {"enabled": true|false|null, "service"?: "name"}';

/** The body of PUT /api/auto-restart; throws a 400 HttpError saying what is wrong with it. */
export function parseAutoRestartRequest(body: unknown): AutoRestartRequest {
  const refuse = (why: string) => new HttpError(400, `${AUTO_RESTART_SHAPE}; ${why}`);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw refuse(`got ${describeValue(body)}`);
  const { enabled, service, ...rest } = body as Record<string, unknown>;
  // JSON.parse makes "__proto__" an own key, so it is reported like any other unknown field.
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw refuse(`unknown field ${unknown.map((k) => describeValue(k)).join(', ')}`);
  if (enabled !== true && enabled !== false && enabled !== null) throw refuse(`"enabled" is ${describeValue(enabled)}`);
  if (service !== undefined && (typeof service !== 'string' || service === '')) {
    throw refuse(`"service" must be a service name, got ${describeValue(service)}`);
  }
  if (service === undefined) {
    if (enabled === null) throw refuse('"enabled": null makes a service follow the global switch, so it needs a "service"; the global switch is true or false');
    return { enabled };
  }
  return { enabled, service };
}
