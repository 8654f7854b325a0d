// `vigil status` as a person reads it: one line per service, problems spelled out below.
import { formatDuration } from '../core/kit/units.ts';
import type { ServiceSnapshot, StateSnapshot } from '../shared/contract.ts';

const COLORS: Record<string, string> = {
  running: '32', // green
  starting: '36', // cyan
  backoff: '33', // yellow
  unhealthy: '33',
  'crash-looping': '31', // red
  stopped: '90', // grey
};

function paint(text: string, code: string | undefined, color: boolean): string {
  return color && code ? `\x1b[${code}m${text}\x1b[0m` : text;
}

function uptime(service: ServiceSnapshot, now: number): string {
  if (!service.startedAt) return '-';
  return formatDuration(now - Date.parse(service.startedAt));
}

function stateLabel(service: ServiceSnapshot): string {
  if (service.state === 'stopped' && service.reason) return `stopped (${service.reason})`;
  return service.state;
}

export function renderStatus(state: StateSnapshot, color: boolean, now = Date.now()): string {
  const header = ['SERVICE', 'STATE', 'PID', 'PORT', 'RESTARTS', 'UPTIME', 'AUTO-RESTART'];
  const rows = state.services.map((s) => [
    s.name + (s.watchOnly ? ' (watch)' : ''),
    stateLabel(s),
    s.pid === null ? '-' : String(s.pid),
    s.port === null ? '-' : String(s.port),
    String(s.restarts),
    uptime(s, now),
    s.autoRestart ? 'on' : 'off',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[], states?: ServiceSnapshot) =>
    cells
      .map((cell, i) => {
        const padded = cell.padEnd(widths[i]!);
        return i === 1 && states ? paint(padded, COLORS[states.state], color) : padded;
      })
      .join('  ')
      .trimEnd();
  const out = [line(header), ...rows.map((r, i) => line(r, state.services[i]))];
  const notes = state.services.filter((s) => s.error).map((s) => `  ${s.name}: ${s.error}`);
  const fileErrors = state.files.filter((f) => f.error).map((f) => `  ${f.error}`);
  if (state.demo) out.unshift('Demo stack (no vigil.yml here; pass -c FILE to `vigil serve` for your own)');
  if (notes.length) out.push('', ...notes);
  if (fileErrors.length) out.push('', 'Stack file problems (the services keep their last good definition):', ...fileErrors);
  out.push(...renderTunnels(state, color), ...renderFly(state, color));
  out.push('', `Auto-restart: ${state.autoRestart ? 'on' : 'off'}`);
  return out.join('\n');
}

const HEALTH_COLORS: Record<string, string> = { up: '32', healthy: '32', degraded: '33', deploying: '36', stuck: '33', down: '31', unreachable: '31', unknown: '90' };

function renderTunnels(state: StateSnapshot, color: boolean): string[] {
  if (state.tunnels.length === 0) return [];
  const lines = state.tunnels.map((t) => {
    const connections = t.expectedConnections !== null ? ` ${t.readyConnections ?? 0}/${t.expectedConnections} connections` : '';
    const urls = t.publicUrls.length > 0 ? ` ${t.publicUrls.join(' ')}` : '';
    const why = t.error ? ` (${t.error})` : '';
    return `  ${t.name} [${t.kind}] ${paint(t.state, HEALTH_COLORS[t.state], color)}${connections}${urls}${why}`;
  });
  return ['', 'Tunnels:', ...lines];
}

export function renderFly(state: StateSnapshot, color: boolean): string[] {
  const fly = state.fly;
  if (!fly) return [];
  const head = `Fly.io ${fly.app}: ${paint(fly.health, HEALTH_COLORS[fly.health], color)}${fly.error ? ` (${fly.error})` : ''}${fly.mode === 'health-url' ? ` via ${fly.healthUrl}` : ''}`;
  const machines = fly.machines.map((m) => {
    const failing = m.checks.filter((c) => c.status !== 'passing').map((c) => `${c.name} ${c.status}`);
    return `  ${m.id} ${m.region} ${m.machineState} ${paint(m.health, HEALTH_COLORS[m.health], color)}${failing.length ? ` (${failing.join(', ')})` : ''}`;
  });
  return ['', head, ...machines];
}
