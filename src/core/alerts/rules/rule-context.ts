// What the rules are handed besides their inputs, and what they hand back.
//
// The context is the engine's current view of the stack, read at the moment an event is judged
// (the supervisor and the watchers update their state before they emit, so it is already the
// state the event announces). The integrator builds it from the snapshot and the supervisor's
// logs; tests build it from a real engine or from plain objects.
import type { RuleVerdict } from '../../../shared/alerts.ts';
import type { FlySnapshot } from '../../../shared/fly.ts';
import type { ServiceSnapshot } from '../../../shared/services.ts';
import type { TunnelSnapshot } from '../../../shared/tunnels.ts';

export interface RuleContext {
  /** The stack's services now (state, reason, error, restarts, lastExit...). */
  services(): readonly ServiceSnapshot[];
  /** The stack's tunnels now (their state is what a tunnel.state event announces). */
  tunnels(): readonly TunnelSnapshot[];
  /** The Fly app now, or null without a `fly:` section. */
  fly(): FlySnapshot | null;
  /** A service's last output lines, oldest first (for a crash: what it said before it died). */
  serviceOutput(service: string, lines: number): string[];
  /** The services a tunnel forwards traffic to (its origin, found by port), for the alert's
   * `target` label: a server down can then mute the tunnel in front of it. Optional. */
  tunnelTargets?(tunnel: string): string[];
}

/** Something a rule asks the engine to do; the integrator carries it out through the supervisor
 * and reports failures on the event stream. */
export interface RestartServiceAction {
  kind: 'restart-service';
  service: string;
  /** The rule that asks (service-leak with restart_before_oom). */
  rule: string;
  /** One line for the event stream and the log: why. */
  reason: string;
}

export type RuleAction = RestartServiceAction;

/** What one input produced: verdicts for every alert key that changed, plus (on a tick) every
 * active one; and actions. A key that is absent means "no news", never "no longer active":
 * a rule that lets go says so once, with active: false. */
export interface RuleResult {
  verdicts: RuleVerdict[];
  actions: RuleAction[];
}

export const emptyResult = (): RuleResult => ({ verdicts: [], actions: [] });
