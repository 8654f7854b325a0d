// `vigil status` as a person reads it: one line per service, problems spelled out below.
import { formatDuration } from '../core/config/units.ts';
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
  out.push('', `Auto-restart: ${state.autoRestart ? 'on' : 'off'}`);
  return out.join('\n');
}
