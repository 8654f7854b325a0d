// What `vigil top` shows of the world outside the machine: each tunnel with its state and
// public URL, the Fly.io app's health and its machines. Empty when the stack has neither.
import type { Tone } from '../../renderer/format.ts';
import type { FlyHealth, StateSnapshot, TunnelState } from '../../shared/contract.ts';
import { clip, columns, fitText, type Paint } from './cells.ts';

const HEALTH_TONES: Record<FlyHealth | TunnelState, Tone> = {
  up: 'ok',
  healthy: 'ok',
  degraded: 'warn',
  deploying: 'busy',
  stuck: 'warn',
  down: 'bad',
  unreachable: 'bad',
  unknown: 'idle',
};

/** "TUNNELS" and a line per tunnel: name, kind, state, then its URLs or what is wrong. */
export function tunnelLines(state: StateSnapshot, width: number, paint: Paint): string[] {
  if (state.tunnels.length === 0) return [];
  const nameWidth = Math.min(16, Math.max(...state.tunnels.map((t) => columns(t.name))));
  const lines = state.tunnels.map((t) => {
    const connections = t.expectedConnections !== null ? ` ${t.readyConnections ?? 0}/${t.expectedConnections}` : '';
    const detail = t.publicUrls.length > 0 ? t.publicUrls.join(' ') : (t.error ?? '');
    const line = ` ${fitText(t.name, nameWidth)} ${fitText(t.kind, 11)} ${paint(fitText(t.state, 8), HEALTH_TONES[t.state])}${connections} ${detail}`;
    return clip(line.trimEnd(), width);
  });
  return [paint('TUNNELS', 'bold'), ...lines];
}

/** The Fly.io app (health, and why when it is not healthy), then a line per machine. */
export function flyLines(state: StateSnapshot, width: number, paint: Paint): string[] {
  const fly = state.fly;
  if (!fly) return [];
  const why = fly.error ? ` (${fly.error})` : '';
  const via = fly.mode === 'health-url' ? ` via ${fly.healthUrl}` : '';
  const head = clip(`${paint('FLY', 'bold')} ${fly.app} ${paint(fly.health, HEALTH_TONES[fly.health])}${why}${via}`, width);
  const machines = fly.machines.map((m) => {
    const failing = m.checks.filter((c) => c.status !== 'passing').map((c) => `${c.name} ${c.status}`);
    const line = ` ${fitText(m.id, 14)} ${fitText(m.region, 4)} ${fitText(m.machineState, 9)} ${paint(fitText(m.health, 11), HEALTH_TONES[m.health])}${failing.length ? ` ${failing.join(', ')}` : ''}`;
    return clip(line.trimEnd(), width);
  });
  return [head, ...machines];
}
