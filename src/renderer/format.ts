// How the dashboard words and colours things (pure).
import type { EngineEvent, ServiceSnapshot } from '../shared/contract.ts';

export type Tone = 'ok' | 'busy' | 'warn' | 'bad' | 'idle';

/** Stopped for a reason nobody chose and that will not fix itself. */
const FAILED_STOPS = new Set(['exit', 'spawn-failed', 'port-in-use']);

export function stateTone(service: Pick<ServiceSnapshot, 'state' | 'reason'>): Tone {
  switch (service.state) {
    case 'running':
      return 'ok';
    case 'starting':
      return 'busy';
    case 'unhealthy':
    case 'backoff':
      return 'warn';
    case 'crash-looping':
      return 'bad';
    case 'stopped':
      return service.reason !== null && FAILED_STOPS.has(service.reason) ? 'bad' : service.reason === 'dependency' || service.reason === 'not-found' ? 'warn' : 'idle';
  }
}

export function eventTone(event: EngineEvent): Tone {
  if (event.type === 'service.exit' || event.type === 'config.error') return 'bad';
  if (event.type === 'service.state' && event.to) return stateTone({ state: event.to, reason: (event.reason ?? null) as ServiceSnapshot['reason'] });
  return 'idle';
}

/** "45s", "3m 07s", "2h 05m", "3d 4h". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** How long the current process has been up, or null when there is none. */
export function uptimeMs(service: Pick<ServiceSnapshot, 'state' | 'startedAt' | 'pid'>, now: number): number | null {
  if (service.startedAt === null || service.pid === null || service.state === 'stopped') return null;
  const started = Date.parse(service.startedAt);
  return Number.isNaN(started) ? null : Math.max(0, now - started);
}

/** Local wall-clock time of an ISO timestamp: "14:03:27". */
export function clockTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** The reason shown after a state ("backoff · crash"), or null when there is none to show. */
export function stateReason(service: Pick<ServiceSnapshot, 'state' | 'reason'>): string | null {
  return service.reason && service.state !== 'running' ? service.reason : null;
}

/** Counts by state for the section header: "2 running, 1 stopped". */
export function summarize(services: Pick<ServiceSnapshot, 'state'>[]): string {
  if (services.length === 0) return 'no services';
  const counts = new Map<string, number>();
  for (const s of services) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
  return [...counts].map(([state, n]) => `${n} ${state}`).join(', ');
}
