// The built-in rules' fixed names: alerts, silences, the CLI and the stack file's
// `alerts.builtin` section all address them by these names, so they never change.
// Log rules are named "log:<name>"; user rules by their own name (which may be none of these).

export const BUILTIN_RULES = {
  'service-crashed': 'a service exited without being asked to (its exit code or signal, restart count and last output lines)',
  'service-crash-looping': 'a service keeps crashing and Vigil pauses before trying it again',
  'service-unhealthy': "a service fails its health check (the supervisor's failures-in-a-row already passed)",
  'service-port-taken': "a service cannot start because another process holds its port",
  'tunnel-down': 'a tunnel is down: its agent is unreachable or it has no ready connection',
  'tunnel-degraded': 'a tunnel runs but not fully: expected tunnels missing, fewer edge connections, or its probe failing',
  'tunnel-url-changed': "a tunnel's public URL changed (info)",
  'fly-app-down': 'the Fly app is down (critical), or degraded or stuck (warning)',
  'fly-unreachable': 'Vigil cannot reach Fly.io at all (says nothing about the app itself)',
  'fly-deploy-failing': "the Fly app's checks fail after a deploy",
  'system-cpu': 'system CPU above its warning / critical level',
  'system-memory': 'system memory above its warning / critical level',
  'system-disk': "a disk's used space above its warning / critical level",
  'service-cpu': "a service's CPU (its whole process tree) above its limit (off unless a limit is set)",
  'service-rss': "a service's resident memory above its limit (off unless a limit is set)",
  'service-anomaly': "a service's health-check latency, CPU or memory far outside its own learned baseline, for a sustained time",
  'service-leak': "a service's memory grows steadily and will reach its limit within the horizon",
} as const;

export type BuiltinRuleName = keyof typeof BUILTIN_RULES;

export const BUILTIN_RULE_NAMES = Object.keys(BUILTIN_RULES) as BuiltinRuleName[];

export const LOG_RULE_PREFIX = 'log:';

export const logRuleName = (name: string) => `${LOG_RULE_PREFIX}${name}`;

export function isBuiltinRuleName(name: string): name is BuiltinRuleName {
  return Object.hasOwn(BUILTIN_RULES, name);
}
