// Checks request bodies by hand: they are tiny, and the engine keeps the schema library out
// of its process (see config/load-stack-isolated.ts for why).
import type { AutoRestartRequest } from '../../shared/contract.ts';

const AUTO_RESTART_SHAPE = 'expected {"enabled": true|false|null, "service"?: "name"}';

/** The body of PUT /api/auto-restart, or a message saying what is wrong with it. */
export function parseAutoRestartRequest(body: unknown): AutoRestartRequest | { error: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { error: `${AUTO_RESTART_SHAPE}, got ${JSON.stringify(body)}` };
  const { enabled, service, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) return { error: `${AUTO_RESTART_SHAPE}; unknown field ${unknown.map((k) => `"${k}"`).join(', ')}` };
  if (enabled !== true && enabled !== false && enabled !== null) {
    return { error: `${AUTO_RESTART_SHAPE}; "enabled" is ${JSON.stringify(enabled) ?? 'missing'}` };
  }
  if (service !== undefined && (typeof service !== 'string' || service === '')) {
    return { error: `${AUTO_RESTART_SHAPE}; "service" must be a service name, got ${JSON.stringify(service)}` };
  }
  return service === undefined ? { enabled } : { enabled, service };
}
