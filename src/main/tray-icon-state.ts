// What the tray icon says at a glance, from the snapshot alone (pure; no Electron).
import type { FlySnapshot, ServiceSnapshot, StateSnapshot, TunnelSnapshot } from '../shared/contract.ts';

export type TrayIconState = 'ok' | 'warning' | 'error';

/** How the engine itself is doing, as Electron main sees it. */
export type EngineStatus = { status: 'starting' } | { status: 'running' } | { status: 'failed'; error: string };

/** Stopped for a reason the user did not choose, and that will not fix itself. */
const FAILED_STOP_REASONS = new Set(['exit', 'spawn-failed', 'port-in-use']);

export function serviceIconState(service: ServiceSnapshot): TrayIconState {
  switch (service.state) {
    case 'running':
      return 'ok';
    case 'crash-looping':
      return 'error';
    case 'stopped':
      if (service.reason !== null && FAILED_STOP_REASONS.has(service.reason)) return 'error';
      return service.reason === 'user' || service.reason === 'removed' ? 'ok' : 'warning';
    case 'starting':
    case 'backoff':
    case 'unhealthy':
      return 'warning';
  }
}

const RANK: Record<TrayIconState, number> = { ok: 0, warning: 1, error: 2 };

/** The worst of the services; an engine that is down is an error, one starting a warning. */
export function trayIconState(state: StateSnapshot | null, engine: EngineStatus = { status: 'running' }): TrayIconState {
  if (engine.status === 'failed') return 'error';
  if (engine.status === 'starting' || state === null) return 'warning';
  const broken = state.files.some((f) => f.error !== null);
  let worst: TrayIconState = broken ? 'warning' : 'ok';
  const levels = [
    ...state.services.map(serviceIconState),
    ...state.tunnels.map((t) => OUTSIDE_LEVEL[t.state]),
    ...(state.fly ? [OUTSIDE_LEVEL[state.fly.health]] : []),
  ];
  for (const level of levels) if (RANK[level] > RANK[worst]) worst = level;
  return worst;
}

/** Tunnels and the Fly.io app: down is an error, anything short of healthy a warning; not yet
 * known (or unreachable from here, which is not the app's fault) is a warning too. */
const OUTSIDE_LEVEL: Record<TunnelSnapshot['state'] | FlySnapshot['health'], TrayIconState> = {
  up: 'ok',
  healthy: 'ok',
  degraded: 'warning',
  deploying: 'warning',
  stuck: 'warning',
  unknown: 'warning',
  unreachable: 'warning',
  down: 'error',
};

/** The icon file in assets/: macOS gets monochrome template images (the menubar tints them),
 * other systems coloured ones. */
export function trayIconFile(level: TrayIconState, platform: NodeJS.Platform): string {
  return platform === 'darwin' ? `tray-${level}Template.png` : `tray-${level}.png`;
}

/** The tooltip: "Vigil: 2 running, 1 crash-looping". */
export function trayTooltip(state: StateSnapshot | null, engine: EngineStatus = { status: 'running' }): string {
  if (engine.status === 'failed') return `Vigil: the engine is down (${engine.error})`;
  if (engine.status === 'starting' || state === null) return 'Vigil: starting…';
  if (state.services.length === 0) return 'Vigil: no services';
  const counts = new Map<string, number>();
  for (const s of state.services) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
  const order = ['running', 'starting', 'unhealthy', 'backoff', 'crash-looping', 'stopped'];
  const parts = order.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`);
  return `Vigil: ${parts.join(', ')}`;
}
