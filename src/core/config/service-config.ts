// A service as the supervisor uses it: every default filled in, durations in milliseconds,
// paths absolute, the health check decided. Built from the validated stack file.
import path from 'node:path';
import type { ServiceSpec } from './schema.ts';

export type HealthCheck =
  | { type: 'none' }
  | { type: 'tcp'; port: number }
  | { type: 'http'; url: string; status: number | null };

export interface HealthTiming {
  timeoutMs: number;
  intervalMs: number;
  failures: number;
  startTimeoutMs: number;
}

export interface ServiceConfig {
  name: string;
  /** Absolute path of the stack file that declares it. */
  file: string;
  /** Null for a watch-only service: Vigil never starts or stops it. */
  command: { program: string; args: string[]; shell: boolean } | null;
  cwd: string;
  env: Record<string, string>;
  /** The engine's secrets this service may see (pass_secrets:); the others are kept out. */
  passSecrets: string[];
  port: number | null;
  health: HealthCheck;
  healthTiming: HealthTiming;
  restart: {
    policy: 'always' | 'on-failure' | 'never';
    initialMs: number;
    factor: number;
    capMs: number;
    jitter: number;
    resetAfterMs: number;
  };
  crashLoop: { failures: number; windowMs: number; coolOffMs: number };
  stop: { signal: NodeJS.Signals; timeoutMs: number };
  dependsOn: string[];
  logs: { maxSizeBytes: number; files: number };
  /** The service's own Prometheus endpoint, scraped by the metrics sampler. */
  metrics: { url: string; intervalMs: number } | null;
}

/** A problem found while resolving, at a path inside the service. */
export interface ResolveProblem {
  path: (string | number)[];
  message: string;
}

export function resolveService(spec: ServiceSpec, file: string): ServiceConfig | ResolveProblem {
  const dir = path.dirname(file);
  let command: ServiceConfig['command'] = null;
  if (spec.command !== undefined) {
    if (typeof spec.command === 'string') {
      if (!spec.shell) {
        const words = spec.command.trim().split(/\s+/).map((w) => JSON.stringify(w));
        return {
          path: ['command'],
          message: `a command string runs only with "shell: true"; without a shell write it as a list, e.g. [${words.join(', ')}]`,
        };
      }
      command = { program: spec.command, args: [], shell: true };
    } else {
      const [program, ...args] = spec.command;
      command = { program: program!, args, shell: spec.shell };
    }
  }

  const port = spec.port ?? null;
  const h = spec.health;
  const type = h.type ?? (h.url || h.path ? 'http' : port !== null ? 'tcp' : 'none');
  let health: HealthCheck;
  if (type === 'http') {
    const url = h.url ?? (h.path && port !== null ? `http://127.0.0.1:${port}${h.path}` : null);
    if (!url && h.path) return { path: ['health', 'path'], message: 'a health "path" needs the service\'s "port" (or give the full "url" instead)' };
    if (!url) return { path: ['health'], message: 'an http health check needs "url", or "path" together with the service\'s "port"' };
    health = { type: 'http', url, status: h.status ?? null };
  } else if (type === 'tcp') {
    if (port === null) return { path: ['health', 'type'], message: 'a tcp health check needs the service\'s "port"' };
    health = { type: 'tcp', port };
  } else {
    health = { type: 'none' };
  }
  if (command === null && health.type === 'none') {
    return {
      path: [],
      message: `"${spec.name}" has no "command", so Vigil only watches it, and watching needs a "port" or a health "url"; add one of them, or add "command" to have Vigil run it`,
    };
  }

  return {
    name: spec.name,
    file,
    command,
    cwd: spec.cwd ? path.resolve(dir, spec.cwd) : dir,
    env: Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, String(v)])),
    passSecrets: [...new Set(spec.pass_secrets)],
    port,
    health,
    healthTiming: {
      timeoutMs: h.timeout,
      intervalMs: h.interval,
      failures: h.failures,
      startTimeoutMs: h.start_timeout,
    },
    restart: {
      policy: spec.restart.policy,
      initialMs: spec.restart.backoff.initial,
      factor: spec.restart.backoff.factor,
      capMs: spec.restart.backoff.cap,
      jitter: spec.restart.backoff.jitter,
      resetAfterMs: spec.restart.reset_after,
    },
    crashLoop: {
      failures: spec.crash_loop.failures,
      windowMs: spec.crash_loop.window,
      coolOffMs: spec.crash_loop.cool_off,
    },
    stop: { signal: spec.stop.signal, timeoutMs: spec.stop.timeout },
    dependsOn: spec.depends_on,
    logs: { maxSizeBytes: spec.logs.max_size, files: spec.logs.files },
    metrics: spec.metrics ? { url: spec.metrics.url, intervalMs: spec.metrics.interval } : null,
  };
}

export function isResolveProblem(value: ServiceConfig | ResolveProblem): value is ResolveProblem {
  return 'message' in value && !('name' in value);
}
