// When the flow next has something to do on its own, without a new verdict: a group's flush,
// a pending alert's `for`, a flapping alert's settling, an escalation, the end of a wake's
// grace, a silence, the pause or quiet hours starting or ending. The subsystem evaluates on its tick
// anyway; this lets it step exactly then instead (a notice due at 5 s goes at 5 s, not at
// the next tick after it).
import { severityAtLeast } from '../dispatch/dispatch-channel.ts';
import { inQuietHours, localMinuteOfDay } from '../silences/quiet-hours.ts';
import type { AlertFlowContext } from './alert-flow.ts';
import type { AlertFlowState } from './flow-state.ts';

export function nextDueAt(state: AlertFlowState, context: AlertFlowContext): number | null {
  const { clock } = state;
  if (clock.wallMs === null) return null;
  let dueRun = Number.POSITIVE_INFINITY;
  const at = (run: number) => {
    if (run < dueRun) dueRun = run;
  };
  for (const id in state.dispatch.groups) at(state.dispatch.groups[id]!.nextFlushRun);
  if (clock.wake) at(clock.wake.graceUntilRun);
  const { flap, route } = context.config;
  for (const fingerprint in state.lifecycle.open) {
    const id = state.lifecycle.open[fingerprint]!;
    const { alert, pendingSinceRun, forMs, firingSinceRun, conditionSinceRun } = state.lifecycle.alerts[id]!;
    if (alert.state === 'pending') at(pendingSinceRun + forMs);
    if (alert.flapping) at(conditionSinceRun + flap.settleMs);
    const escalation = route.escalation;
    if (escalation && firingSinceRun !== null && alert.acknowledged === null && state.dispatch.escalated[id] === undefined && severityAtLeast(alert.severity, escalation.minSeverity)) {
      at(firingSinceRun + escalation.afterMs);
    }
  }
  let dueWall = dueRun === Number.POSITIVE_INFINITY ? dueRun : clock.wallMs + Math.max(0, dueRun - clock.runMs);
  for (const silence of state.silences.silences) {
    for (const edge of [Date.parse(silence.startsAt), Date.parse(silence.endsAt)]) if (edge > clock.wallMs && edge < dueWall) dueWall = edge;
  }
  if (state.silences.pausedUntil !== null && state.silences.pausedUntil < dueWall) dueWall = state.silences.pausedUntil;
  const quiet = context.config.quietHours;
  if (quiet && inQuietHours(quiet, clock.wallMs, context.timeZone)) {
    // The start of the minute quiet hours end in (to the minute; a daylight saving change in
    // between moves it by an hour, which the next evaluation corrects).
    const minutesLeft = (quiet.toMinute - localMinuteOfDay(clock.wallMs, context.timeZone) + 1440) % 1440;
    const end = clock.wallMs - (clock.wallMs % 60_000) + minutesLeft * 60_000;
    if (end < dueWall) dueWall = end;
  }
  return dueWall === Number.POSITIVE_INFINITY ? null : dueWall;
}
