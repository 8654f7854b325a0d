// Pure rules that turn what the Machines API says into Vigil's verdicts: a machine's health, the
// app's health, whether a poll shows a deploy, and whether failing checks follow one. No I/O and
// no clock of their own (time comes in as arguments), so each rule is tested on its own.
import type { FlyHealth } from '../../../shared/contract.ts';
import type { FlyCheck } from './fly-machine.ts';

/** States a machine passes through; held too long (stuck_after) they mean it is stuck. */
export const TRANSIENT_STATES: ReadonlySet<string> = new Set(['starting', 'stopping', 'restarting', 'suspending', 'destroying']);
/** States a deploy puts machines in. */
export const DEPLOYING_STATES: ReadonlySet<string> = new Set(['creating', 'updating', 'replacing']);
/** Persistent states in which the machine serves nothing. */
export const DOWN_STATES: ReadonlySet<string> = new Set(['created', 'stopped', 'suspended', 'failed', 'launch_failed']);
/** Machines that no longer exist: they do not count toward the app's health. */
export const GONE_STATES: ReadonlySet<string> = new Set(['destroyed', 'replaced', 'migrated']);

export interface MachineHealthInput {
  state: string;
  checks: readonly Pick<FlyCheck, 'status'>[];
  /** When Vigil first saw the machine in its current state (ms). */
  stateSince: number;
  now: number;
  stuckAfterMs: number;
}

export function machineHealth({ state, checks, stateSince, now, stuckAfterMs }: MachineHealthInput): FlyHealth {
  if (DEPLOYING_STATES.has(state)) return 'deploying';
  if (TRANSIENT_STATES.has(state)) return now - stateSince > stuckAfterMs ? 'stuck' : 'degraded';
  if (DOWN_STATES.has(state)) return 'down';
  if (state !== 'started') return 'unknown';
  // Started: the checks decide. No checks at all means Fly has nothing to say against it.
  const critical = checks.filter((c) => c.status === 'critical').length;
  const warning = checks.filter((c) => c.status === 'warning').length;
  if (checks.length > 0 && critical === checks.length) return 'down';
  if (critical > 0 || warning > 0) return 'degraded';
  return 'healthy';
}

/** A started machine with a critical check: the condition auto-restart acts on. */
export function hasCriticalCheck(state: string, checks: readonly Pick<FlyCheck, 'status'>[]): boolean {
  return state === 'started' && checks.some((c) => c.status === 'critical');
}

/** The app from its machines (gone machines already left out). */
export function appHealth(machines: readonly FlyHealth[]): FlyHealth {
  if (machines.length === 0) return 'down'; // an app with no machines serves nothing
  if (machines.every((h) => h === 'unknown')) return 'unknown';
  if (machines.every((h) => h === 'down')) return 'down';
  if (machines.some((h) => h === 'deploying')) return 'deploying';
  if (machines.some((h) => h === 'stuck')) return 'stuck';
  if (machines.every((h) => h === 'healthy')) return 'healthy';
  return 'degraded';
}

export interface MachineIdentity {
  digest: string | null;
  instanceId: string | null;
}

export interface DeployRecord {
  at: number;
  digest: string | null;
  machines: string[];
}

/** One rollout touches machines over several polls; changes to the digest of the last deploy
 * within this time are that same deploy, not a new one. */
export const DEPLOY_FOLD_MS = 10 * 60_000;

/**
 * The deploy a poll shows, if any: a machine whose image digest or instance id changed since the
 * previous poll, or a new machine running an image no machine ran before. The first poll has
 * nothing to compare with and shows none. `restartedByVigil` lists machines Vigil just restarted:
 * whether a restart gives a new instance id is not documented, so for those only a new digest
 * counts, lest Vigil's own restart be reported as a deploy.
 */
export function detectDeploy(
  previous: ReadonlyMap<string, MachineIdentity> | null,
  current: readonly ({ id: string } & MachineIdentity)[],
  last: DeployRecord | null,
  now: number,
  foldMs = DEPLOY_FOLD_MS,
  restartedByVigil: ReadonlySet<string> = new Set(),
): { digest: string | null; machines: string[] } | null {
  if (!previous) return null;
  const knownDigests = new Set([...previous.values()].map((m) => m.digest).filter((d) => d !== null));
  const changed = current.filter((m) => {
    const before = previous.get(m.id);
    if (!before) return m.digest !== null && !knownDigests.has(m.digest);
    return before.digest !== m.digest || (before.instanceId !== m.instanceId && !restartedByVigil.has(m.id));
  });
  if (changed.length === 0) return null;
  if (last && now - last.at < foldMs && changed.every((m) => m.digest === last.digest)) return null;
  // Several digests at once is unusual; name the one most machines moved to.
  const counts = new Map<string | null, number>();
  for (const m of changed) counts.set(m.digest, (counts.get(m.digest) ?? 0) + 1);
  const digest = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  return { digest, machines: changed.map((m) => m.id) };
}

/** After a deploy, failing checks within this time are blamed on it even if it was healthy at first. */
export const DEPLOY_BLAME_MS = 15 * 60_000;

const FAILING: ReadonlySet<FlyHealth> = new Set(['degraded', 'down', 'stuck']);

/**
 * The call-out for failing health that follows a deploy, or null. "Since" when the app has not
 * been healthy once since the deploy; "after" when it was, but failed soon after.
 */
export function deployBlame(health: FlyHealth, deploy: { at: number; healthySince: boolean } | null, now: number, windowMs = DEPLOY_BLAME_MS): string | null {
  if (!deploy || !FAILING.has(health)) return null;
  const at = new Date(deploy.at).toISOString();
  if (!deploy.healthySince) return `checks failing since the deploy at ${at}`;
  if (now - deploy.at <= windowMs) return `checks failing ${Math.max(1, Math.round((now - deploy.at) / 60_000))}m after the deploy at ${at}`;
  return null;
}

/** Why a machine has its health, in a few words for an event message. */
export function machineHealthReason(health: FlyHealth, state: string, checks: readonly FlyCheck[]): string {
  const bad = checks.filter((c) => c.status === 'critical' || c.status === 'warning');
  const checkText = bad.map((c) => `${c.name} ${c.status}`).join(', ');
  switch (health) {
    case 'healthy':
      return checks.length > 0 ? 'all checks passing' : 'started';
    case 'stuck':
      return `${state} for too long`;
    case 'deploying':
      return state;
    case 'down':
      return state === 'started' ? `every check critical (${checkText})` : state;
    case 'degraded':
      return state === 'started' ? checkText : state;
    default:
      return state;
  }
}
