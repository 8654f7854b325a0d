// The whole state of the alert flow, as one plain value: the subsystem persists it (as JSON, in
// the history database) whenever a step reports changes or notifications, and restores it at
// start, so an alert firing before a restart is the same alert, with the same id, after it.
import { z } from 'zod';
import { EMPTY_LIFECYCLE, type LifecycleState } from '../lifecycle/alert-record.ts';
import { type FlowClock, INITIAL_CLOCK, restoredClock } from '../lifecycle/flow-clock.ts';
import { EMPTY_SILENCES, type SilenceState } from '../silences/silences.ts';
import { type DispatchState, EMPTY_DISPATCH } from '../dispatch/dispatch.ts';

export const FLOW_STATE_VERSION = 1;

export interface AlertFlowState {
  version: typeof FLOW_STATE_VERSION;
  clock: FlowClock;
  lifecycle: LifecycleState;
  silences: SilenceState;
  dispatch: DispatchState;
}

export function initialFlowState(): AlertFlowState {
  return { version: FLOW_STATE_VERSION, clock: INITIAL_CLOCK, lifecycle: EMPTY_LIFECYCLE, silences: EMPTY_SILENCES, dispatch: EMPTY_DISPATCH };
}

export function serializeFlowState(state: AlertFlowState): string {
  return JSON.stringify(state);
}

// The saved state is Vigil's own, but it comes back from a file a crash may have cut short or
// an older version may have written: its shape is checked before anything relies on it.
const severity = z.enum(['info', 'warning', 'critical']);
const alertSchema = z.looseObject({
  id: z.string(),
  fingerprint: z.string(),
  rule: z.string(),
  labels: z.record(z.string(), z.string()),
  severity,
  state: z.enum(['pending', 'firing', 'resolved']),
  summary: z.string(),
  details: z.looseObject({}),
  link: z.string(),
  activeSince: z.string(),
  firingSince: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  updatedAt: z.string(),
  acknowledged: z.object({ at: z.string(), by: z.string() }).nullable(),
  silencedBy: z.array(z.string()),
  inhibitedBy: z.string().nullable(),
  flapping: z.boolean(),
});
const runTime = z.number().finite();
const stateSchema = z.object({
  version: z.literal(FLOW_STATE_VERSION),
  clock: z.object({
    wallMs: runTime.nullable(),
    monoMs: runTime.nullable(),
    runMs: runTime,
    restored: z.boolean(),
    wake: z.object({ atWall: runTime, sleptMs: runTime, graceUntilRun: runTime }).nullable(),
  }),
  lifecycle: z.object({
    alerts: z.record(
      z.string(),
      z.object({
        alert: alertSchema,
        forMs: runTime,
        channels: z.array(z.string()),
        pendingSinceRun: runTime,
        firingSinceRun: runTime.nullable(),
        resolvedAtRun: runTime.nullable(),
        lastVerdictRun: runTime,
        conditionActive: z.boolean(),
        conditionSinceRun: runTime,
      }),
    ),
    open: z.record(z.string(), z.string()),
    changesAt: z.record(z.string(), z.array(runTime)),
  }),
  silences: z.object({
    silences: z.array(
      z.object({
        id: z.string(),
        matcher: z.object({ rule: z.string().optional(), service: z.string().optional(), labels: z.record(z.string(), z.string()).optional() }),
        startsAt: z.string(),
        endsAt: z.string(),
        createdBy: z.string(),
        comment: z.string(),
      }),
    ),
    pausedUntil: runTime.nullable(),
    seq: z.number().int().min(0),
  }),
  dispatch: z.object({
    groups: z.record(
      z.string(),
      z.object({ channel: z.string(), key: z.string(), nextFlushRun: runTime, lastNotifiedRun: runTime.nullable(), told: z.record(z.string(), severity) }),
    ),
    escalated: z.record(z.string(), runTime),
    seq: z.number().int().min(0),
  }),
});

/**
 * The state as saved (text or parsed JSON), ready for the next step: its monotonic reading is
 * dropped (it belonged to the old process) and the next step knows it follows a restart.
 * Throws an Error saying what is wrong when the saved state is not one.
 */
export function restoreFlowState(saved: string | unknown): AlertFlowState {
  let data: unknown = saved;
  if (typeof saved === 'string') {
    try {
      data = JSON.parse(saved);
    } catch (err) {
      throw new Error(`the saved alert state is not JSON: ${(err as Error).message}`);
    }
  }
  const version = (data as { version?: unknown } | null)?.version;
  if (version !== FLOW_STATE_VERSION) throw new Error(`the saved alert state has version ${JSON.stringify(version)}; this Vigil reads version ${FLOW_STATE_VERSION}`);
  const parsed = stateSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`the saved alert state is damaged at ${issue.path.join('.') || 'its top'}: ${issue.message}`);
  }
  const state = parsed.data as AlertFlowState;
  for (const [fingerprint, id] of Object.entries(state.lifecycle.open)) {
    if (!state.lifecycle.alerts[id]) throw new Error(`the saved alert state is damaged: open alert ${fingerprint} points at ${id}, which it does not hold`);
  }
  return { ...state, clock: restoredClock(state.clock) };
}
