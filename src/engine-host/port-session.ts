// The engine's side of one client's MessagePort. Every message is checked before it reaches
// the engine: a port handed to a renderer is only as trustworthy as that renderer.
import { z } from 'zod';
import type {
  AutoRestartRequest,
  CallMessage,
  EngineEvent,
  EngineResults,
  LiveMessage,
  MetricsQueryParams,
  MetricsQueryResult,
  MetricsTick,
  ReplyMessage,
  SeriesInfo,
  ServiceAction,
  StateSnapshot,
} from '../shared/contract.ts';
import type { Endpoint } from '../shared/endpoints.ts';

/** The part of the engine a port session uses (the Engine class fits). */
export interface EngineForPort {
  snapshot(): StateSnapshot;
  onState(listener: (state: StateSnapshot) => void): () => void;
  events: { subscribe(listener: (event: EngineEvent) => void): () => void };
  eventPage(query: { since?: number; before?: number; limit?: number }): { events: EngineEvent[]; before: number | null };
  act(service: string, action: ServiceAction): Promise<string[]>;
  setAutoRestart(request: AutoRestartRequest): StateSnapshot;
  restartTunnel(name: string): Promise<void>;
  metrics: {
    series(): SeriesInfo[];
    queryMany(params: MetricsQueryParams): MetricsQueryResult[];
    onTick(listener: (tick: MetricsTick) => void): () => void;
    watch(who: 'client'): () => void;
  };
}

export interface PortSessionOptions {
  /** A window's port (true, the default): someone looking, sent metrics ticks, sampling at the
   * active rate while it is open. Electron main's own port (the tray) is not. */
  looking?: boolean;
}

const wholeMs = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const MAX_EVENTS = 5000;

const callSchema = z.strictObject({
  id: z.number().int().nonnegative(),
  call: z.discriminatedUnion('method', [
    z.strictObject({ method: z.literal('state') }),
    z.strictObject({
      method: z.literal('events'),
      since: z.number().int().nonnegative().optional(),
      before: z.number().int().nonnegative().optional(),
      limit: z.number().int().positive().optional(),
    }),
    z.strictObject({ method: z.literal('act'), service: z.string().min(1).max(200), action: z.enum(['start', 'stop', 'restart']) }),
    z.strictObject({
      method: z.literal('set-auto-restart'),
      request: z.strictObject({ enabled: z.boolean().nullable(), service: z.string().min(1).max(200).optional() }),
    }),
    z.strictObject({ method: z.literal('restart-tunnel'), tunnel: z.string().min(1).max(200) }),
    z.strictObject({ method: z.literal('metrics-series') }),
    z.strictObject({
      method: z.literal('metrics-query'),
      series: z.array(z.string().min(1).max(1000)).min(1).max(200),
      from: wholeMs.optional(),
      to: wholeMs.optional(),
      step: wholeMs.optional(),
    }),
  ]),
});

/** Checks one incoming message: the call, or why it was refused (with the id when there is one
 * to answer). */
export function parseCall(data: unknown): { ok: true; message: CallMessage } | { ok: false; id: number | null; error: string } {
  const parsed = callSchema.safeParse(data);
  if (parsed.success) return { ok: true, message: parsed.data as CallMessage };
  const id = typeof data === 'object' && data !== null && Number.isInteger((data as { id?: unknown }).id) ? (data as { id: number }).id : null;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ');
  return { ok: false, id, error: `refused a malformed request (${issues})` };
}

async function run(engine: EngineForPort, message: CallMessage): Promise<EngineResults[keyof EngineResults]> {
  const call = message.call;
  switch (call.method) {
    case 'state':
      return engine.snapshot();
    case 'events':
      return engine.eventPage({ since: call.since, before: call.before, limit: Math.min(call.limit ?? 1000, MAX_EVENTS) }).events;
    case 'act':
      return engine.act(call.service, call.action);
    case 'set-auto-restart':
      if (call.request.service === undefined && call.request.enabled === null) {
        throw new Error('the global auto-restart switch is on or off, not null');
      }
      return engine.setAutoRestart(call.request);
    case 'restart-tunnel':
      await engine.restartTunnel(call.tunnel);
      return null;
    case 'metrics-series':
      return engine.metrics.series();
    case 'metrics-query': {
      const { method: _method, ...params } = call;
      return engine.metrics.queryMany(params);
    }
  }
}

/** Serves one client until its port closes: pushes the state at once, then every state change
 * and event (and, to a window, every metrics tick), and answers calls. Returns a function that
 * ends the session. */
export function servePort(endpoint: Endpoint, engine: EngineForPort, options: PortSessionOptions = {}): () => void {
  let open = true;
  const post = (message: LiveMessage | ReplyMessage) => {
    if (open) endpoint.send(message);
  };
  const offState = engine.onState((state) => post({ kind: 'state', state }));
  const offEvent = engine.events.subscribe((event) => post({ kind: 'event', event }));
  const looking = options.looking ?? true;
  const offTick = looking ? engine.metrics.onTick((tick) => post({ kind: 'metrics', tick })) : () => {};
  const unwatch = looking ? engine.metrics.watch('client') : () => {};
  const end = () => {
    if (!open) return;
    open = false;
    offState();
    offEvent();
    offTick();
    unwatch();
  };
  endpoint.onMessage((data) => {
    const parsed = parseCall(data);
    if (!parsed.ok) {
      if (parsed.id !== null) post({ kind: 'reply', id: parsed.id, ok: false, error: parsed.error });
      return;
    }
    const { id } = parsed.message;
    run(engine, parsed.message).then(
      (result) => post({ kind: 'reply', id, ok: true, result }),
      (err: unknown) => post({ kind: 'reply', id, ok: false, error: err instanceof Error ? err.message : String(err) }),
    );
  });
  endpoint.onClose(end);
  post({ kind: 'state', state: engine.snapshot() });
  return () => {
    end();
    endpoint.close();
  };
}
