// The tray menu as data, computed from the snapshot (pure; no Electron). The glue in tray.ts
// turns it into an Electron Menu and maps each item's action to a command.
import type { FlySnapshot, ServiceAction, ServiceSnapshot, StateSnapshot, TunnelSnapshot } from '../shared/contract.ts';
import type { EngineStatus } from './tray-icon-state.ts';

export type TrayAction =
  | { type: 'service'; service: string; action: ServiceAction }
  | { type: 'set-auto-restart'; enabled: boolean }
  | { type: 'copy'; text: string }
  | { type: 'restart-tunnel'; tunnel: string }
  | { type: 'open-dashboard' }
  | { type: 'restart-engine' }
  | { type: 'quit' };

export type TrayMenuItem =
  | { kind: 'label'; label: string }
  | { kind: 'separator' }
  | { kind: 'action'; label: string; action: TrayAction; enabled: boolean }
  | { kind: 'checkbox'; label: string; checked: boolean; enabled: boolean; action: TrayAction }
  | { kind: 'submenu'; label: string; items: TrayMenuItem[] };

const MAX_LABEL = 80;

function clip(text: string, max = MAX_LABEL): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** "running", "stopped (user)", "crash-looping (crash)". */
export function stateText(service: ServiceSnapshot): string {
  return service.reason && service.state !== 'running' ? `${service.state} (${service.reason})` : service.state;
}

function serviceLabel(service: ServiceSnapshot): string {
  const where = [service.pid !== null ? `pid ${service.pid}` : null, service.port !== null ? `:${service.port}` : null].filter(Boolean);
  return `${service.name}: ${stateText(service)}${where.length ? ` — ${where.join(', ')}` : ''}`;
}

function serviceItems(service: ServiceSnapshot): TrayMenuItem[] {
  const items: TrayMenuItem[] = [];
  if (service.error) items.push({ kind: 'label', label: clip(service.error) });
  if (service.restarts > 0) items.push({ kind: 'label', label: `${service.restarts} restart${service.restarts === 1 ? '' : 's'}` });
  if (service.watchOnly) {
    items.push({ kind: 'label', label: 'watched only: Vigil does not start or stop it' });
    return items;
  }
  if (items.length > 0) items.push({ kind: 'separator' });
  const stopped = service.state === 'stopped';
  items.push({ kind: 'action', label: 'Restart', action: { type: 'service', service: service.name, action: 'restart' }, enabled: true });
  items.push(
    stopped
      ? { kind: 'action', label: 'Start', action: { type: 'service', service: service.name, action: 'start' }, enabled: true }
      : { kind: 'action', label: 'Stop', action: { type: 'service', service: service.name, action: 'stop' }, enabled: true },
  );
  return items;
}

/** A tunnel: its state, and its public URLs to copy (free ngrok URLs change on every restart). */
function tunnelItem(tunnel: TunnelSnapshot): TrayMenuItem {
  const items: TrayMenuItem[] = [];
  if (tunnel.error) items.push({ kind: 'label', label: clip(tunnel.error) });
  for (const url of tunnel.publicUrls) items.push({ kind: 'action', label: clip(`Copy ${url}`), action: { type: 'copy', text: url }, enabled: true });
  if (tunnel.service) {
    items.push({ kind: 'action', label: `Restart (restarts ${tunnel.service})`, action: { type: 'restart-tunnel', tunnel: tunnel.name }, enabled: true });
  }
  if (items.length === 0) items.push({ kind: 'label', label: 'no public URL yet' });
  return { kind: 'submenu', label: clip(`${tunnel.name} tunnel: ${tunnel.state}`), items };
}

function flyItem(fly: FlySnapshot): TrayMenuItem {
  const items: TrayMenuItem[] = [];
  if (fly.error) items.push({ kind: 'label', label: clip(fly.error) });
  for (const m of fly.machines) items.push({ kind: 'label', label: clip(`${m.name} (${m.region}): ${m.health}`) });
  if (items.length === 0) items.push({ kind: 'label', label: fly.mode === 'health-url' ? `health URL only: ${fly.healthUrl}` : 'no machines seen yet' });
  return { kind: 'submenu', label: clip(`Fly.io ${fly.app}: ${fly.health}`), items };
}

export function trayMenu(state: StateSnapshot | null, engine: EngineStatus = { status: 'running' }): TrayMenuItem[] {
  const items: TrayMenuItem[] = [];
  if (engine.status === 'failed') {
    items.push({ kind: 'label', label: clip(`Engine stopped: ${engine.error}`) });
    items.push({ kind: 'action', label: 'Start the engine again', action: { type: 'restart-engine' }, enabled: true });
  } else if (engine.status === 'starting' || state === null) {
    items.push({ kind: 'label', label: 'Starting the engine…' });
  } else {
    if (state.demo) items.push({ kind: 'label', label: 'Demo stack (no vigil.yml found)' });
    for (const file of state.files) {
      if (file.error) items.push({ kind: 'label', label: clip(`${file.file}: not applied, see the dashboard`) });
    }
    if (state.services.length === 0) items.push({ kind: 'label', label: 'No services in the stack' });
    for (const service of state.services) {
      items.push({ kind: 'submenu', label: clip(serviceLabel(service)), items: serviceItems(service) });
    }
    if (state.tunnels.length > 0 || state.fly) items.push({ kind: 'separator' });
    for (const tunnel of state.tunnels) items.push(tunnelItem(tunnel));
    if (state.fly) items.push(flyItem(state.fly));
  }
  items.push({ kind: 'separator' });
  const live = engine.status === 'running' && state !== null;
  items.push({
    kind: 'checkbox',
    label: 'Auto-restart crashed services',
    checked: state?.autoRestart ?? false,
    enabled: live,
    action: { type: 'set-auto-restart', enabled: !(state?.autoRestart ?? false) },
  });
  items.push({ kind: 'action', label: 'Open dashboard', action: { type: 'open-dashboard' }, enabled: true });
  items.push({ kind: 'separator' });
  items.push({ kind: 'action', label: 'Quit Vigil', action: { type: 'quit' }, enabled: true });
  return items;
}
