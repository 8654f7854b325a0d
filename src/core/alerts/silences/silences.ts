// Silences ("mute alerts about the server until 15:00") and the global pause ("pause alerts
// for 1 h"): plain data the subsystem persists, changed by operations from the API, the CLI
// and the tray, and ended by the wall clock (both are written as times of day for the user).
// A silenced or paused alert stays open and listed; only its notifications are held back.
import type { Alert, Silence, SilenceMatcher } from '../../../shared/alerts.ts';
import type { Rejected } from '../lifecycle/acknowledge.ts';
import { describeMatcher, matcherProblem, silenceMatches } from './silence-matcher.ts';

export interface SilenceState {
  /** Silences that have not ended yet (future ones included). */
  silences: Silence[];
  /** Wall time (ms) until which no notification goes out, or null. */
  pausedUntil: number | null;
  /** Numbers the silences this state created, for their ids. */
  seq: number;
}

export const EMPTY_SILENCES: SilenceState = { silences: [], pausedUntil: null, seq: 0 };

export type SilenceOp =
  | {
      op: 'add';
      matcher: SilenceMatcher;
      /** When it ends: `endsAt` (wall ms) or `durationMs` from now (or from `startsAt`). */
      endsAt?: number;
      durationMs?: number;
      startsAt?: number;
      createdBy: string;
      comment?: string;
      /** The caller's id for it (the API answers with the silence, so it may pick none). */
      id?: string;
    }
  | { op: 'remove'; id: string }
  /** "Pause alerts" until a wall time; null resumes now. */
  | { op: 'pause'; until: number | null };

export type SilenceChange =
  | { kind: 'silence-added' | 'silence-removed' | 'silence-expired'; silence: Silence }
  | { kind: 'paused'; until: string }
  | { kind: 'resumed' };

export function applySilenceOps(
  state: SilenceState,
  ops: readonly SilenceOp[],
  wallMs: number,
): { state: SilenceState; changes: SilenceChange[]; rejected: Rejected[] } {
  let next = state;
  const changes: SilenceChange[] = [];
  const rejected: Rejected[] = [];
  for (const op of ops) {
    if (op.op === 'add') {
      const added = newSilence(next, op, wallMs);
      if (typeof added === 'string') rejected.push({ what: `silence ${describeMatcher(op.matcher) || '(empty)'}`, reason: added });
      else {
        next = { ...next, silences: [...next.silences, added], seq: next.seq + 1 };
        changes.push({ kind: 'silence-added', silence: added });
      }
    } else if (op.op === 'remove') {
      const silence = next.silences.find((s) => s.id === op.id);
      if (!silence) rejected.push({ what: `remove silence ${op.id}`, reason: `no silence has the id "${op.id}"` });
      else {
        next = { ...next, silences: next.silences.filter((s) => s !== silence) };
        changes.push({ kind: 'silence-removed', silence });
      }
    } else if (op.until === null) {
      if (next.pausedUntil !== null) changes.push({ kind: 'resumed' });
      next = { ...next, pausedUntil: null };
    } else if (!(op.until > wallMs)) rejected.push({ what: 'pause', reason: 'the pause must end in the future' });
    else {
      next = { ...next, pausedUntil: op.until };
      changes.push({ kind: 'paused', until: new Date(op.until).toISOString() });
    }
  }
  return { state: next, changes, rejected };
}

function newSilence(state: SilenceState, op: Extract<SilenceOp, { op: 'add' }>, wallMs: number): Silence | string {
  const problem = matcherProblem(op.matcher);
  if (problem) return problem;
  const startsAt = op.startsAt ?? wallMs;
  const endsAt = op.endsAt ?? (op.durationMs !== undefined ? startsAt + op.durationMs : null);
  if (endsAt === null || !Number.isFinite(endsAt)) return 'a silence needs an end: a time or a duration';
  if (endsAt <= wallMs || endsAt <= startsAt) return 'a silence must end in the future, after it starts';
  const id = op.id ?? `s-${wallMs.toString(36)}-${state.seq.toString(36)}`;
  if (state.silences.some((s) => s.id === id)) return `a silence with the id "${id}" exists already`;
  return {
    id,
    matcher: op.matcher,
    startsAt: new Date(startsAt).toISOString(),
    endsAt: new Date(endsAt).toISOString(),
    createdBy: op.createdBy,
    comment: op.comment ?? '',
  };
}

/** Ends the silences and the pause whose time is up. */
export function expireSilences(state: SilenceState, wallMs: number): { state: SilenceState; changes: SilenceChange[] } {
  const changes: SilenceChange[] = [];
  const ended = state.silences.filter((s) => Date.parse(s.endsAt) <= wallMs);
  for (const silence of ended) changes.push({ kind: 'silence-expired', silence });
  const pauseOver = state.pausedUntil !== null && state.pausedUntil <= wallMs;
  if (pauseOver) changes.push({ kind: 'resumed' });
  if (changes.length === 0) return { state, changes };
  return { state: { ...state, silences: state.silences.filter((s) => !ended.includes(s)), pausedUntil: pauseOver ? null : state.pausedUntil }, changes };
}

/** The silences in force at the time (one evaluation checks every alert against these). */
export function activeSilences(state: SilenceState, wallMs: number): Silence[] {
  return state.silences.filter((s) => Date.parse(s.startsAt) <= wallMs && wallMs < Date.parse(s.endsAt));
}

/** Ids of the silences (of those in force) that mute the alert. */
export function silencesMuting(active: readonly Silence[], alert: Pick<Alert, 'rule' | 'labels'>): string[] {
  const ids: string[] = [];
  for (const silence of active) if (silenceMatches(silence.matcher, alert)) ids.push(silence.id);
  return ids;
}

export function isPaused(state: SilenceState, wallMs: number): boolean {
  return state.pausedUntil !== null && wallMs < state.pausedUntil;
}
