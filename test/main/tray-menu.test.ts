import { describe, expect, it } from 'vitest';
import { trayIconState } from '../../src/main/tray-icon-state.ts';
import { type TrayMenuItem, trayMenu } from '../../src/main/tray-menu.ts';
import type { FlySnapshot, TunnelSnapshot } from '../../src/shared/contract.ts';
import { service, snapshot } from './snapshots.ts';

const labels = (items: TrayMenuItem[]) => items.map((i) => (i.kind === 'separator' ? '---' : i.label));
const find = (items: TrayMenuItem[], label: string) => items.find((i) => i.kind !== 'separator' && i.label === label);

describe('trayMenu', () => {
  it('lists each service with its state, then auto-restart, the dashboard and quit', () => {
    const menu = trayMenu(snapshot([service('api', { pid: 101, port: 5555 }), service('worker', { state: 'stopped', reason: 'user', pid: null, port: null })]));
    expect(labels(menu)).toEqual(['api: running — pid 101, :5555', 'worker: stopped (user)', '---', 'Auto-restart crashed services', 'Open dashboard', '---', 'Quit Vigil']);
  });

  it('gives each service a Restart item, and Stop or Start by its state', () => {
    const menu = trayMenu(snapshot([service('api'), service('worker', { state: 'stopped', reason: 'user', pid: null })]));
    const api = menu[0];
    const worker = menu[1];
    if (api?.kind !== 'submenu' || worker?.kind !== 'submenu') throw new Error('expected submenus');
    expect(api.items).toEqual([
      { kind: 'action', label: 'Restart', action: { type: 'service', service: 'api', action: 'restart' }, enabled: true },
      { kind: 'action', label: 'Stop', action: { type: 'service', service: 'api', action: 'stop' }, enabled: true },
    ]);
    expect(labels(worker.items)).toEqual(['Restart', 'Start']);
    expect(find(worker.items, 'Start')).toMatchObject({ action: { type: 'service', service: 'worker', action: 'start' } });
  });

  it('shows the error and restart count of a failing service above its actions', () => {
    const menu = trayMenu(snapshot([service('api', { state: 'crash-looping', reason: 'crash', pid: null, restarts: 5, error: 'failed 5 times within 1m; Vigil tries again in 30s' })]));
    const api = menu[0];
    if (api?.kind !== 'submenu') throw new Error('expected a submenu');
    expect(api.label).toBe('api: crash-looping (crash) — :5000');
    expect(labels(api.items)).toEqual(['failed 5 times within 1m; Vigil tries again in 30s', '5 restarts', '---', 'Restart', 'Stop']);
  });

  it('clips long errors to one short line', () => {
    const menu = trayMenu(snapshot([service('api', { error: `boom\n${'x'.repeat(200)}` })]));
    const api = menu[0];
    if (api?.kind !== 'submenu') throw new Error('expected a submenu');
    const first = api.items[0];
    expect(first?.kind === 'label' && first.label.length).toBe(80);
    expect(first?.kind === 'label' && first.label.startsWith('boom x')).toBe(true);
  });

  it('offers no actions for a watch-only service', () => {
    const menu = trayMenu(snapshot([service('db', { watchOnly: true, pid: null })]));
    const db = menu[0];
    if (db?.kind !== 'submenu') throw new Error('expected a submenu');
    expect(db.items.every((i) => i.kind === 'label')).toBe(true);
  });

  it('has the auto-restart checkbox reflect the switch, and clicking it flips it', () => {
    expect(find(trayMenu(snapshot([], { autoRestart: true })), 'Auto-restart crashed services')).toMatchObject({
      kind: 'checkbox',
      checked: true,
      enabled: true,
      action: { type: 'set-auto-restart', enabled: false },
    });
    expect(find(trayMenu(snapshot([], { autoRestart: false })), 'Auto-restart crashed services')).toMatchObject({
      checked: false,
      action: { type: 'set-auto-restart', enabled: true },
    });
  });

  it('says so while the engine starts, with auto-restart disabled', () => {
    const menu = trayMenu(null, { status: 'starting' });
    expect(labels(menu)).toEqual(['Starting the engine…', '---', 'Auto-restart crashed services', 'Open dashboard', '---', 'Quit Vigil']);
    expect(find(menu, 'Auto-restart crashed services')).toMatchObject({ enabled: false });
  });

  it('offers to start a failed engine again', () => {
    const menu = trayMenu(null, { status: 'failed', error: 'port 7357 on 127.0.0.1 is taken' });
    expect(menu[0]).toEqual({ kind: 'label', label: 'Engine stopped: port 7357 on 127.0.0.1 is taken' });
    expect(menu[1]).toMatchObject({ kind: 'action', action: { type: 'restart-engine' } });
  });

  it('marks the demo stack and a stack file that could not be applied', () => {
    const menu = trayMenu(snapshot([], { demo: true, files: [{ file: '/stack/vigil.yml', error: 'line 2: unknown key' }] }));
    expect(labels(menu).slice(0, 3)).toEqual(['Demo stack (no vigil.yml found)', '/stack/vigil.yml: not applied, see the dashboard', 'No services in the stack']);
  });

  it('always ends with Open dashboard and Quit', () => {
    for (const menu of [trayMenu(null, { status: 'starting' }), trayMenu(snapshot([service('a')]))]) {
      expect(menu.at(-1)).toEqual({ kind: 'action', label: 'Quit Vigil', action: { type: 'quit' }, enabled: true });
      expect(menu.at(-3)).toEqual({ kind: 'action', label: 'Open dashboard', action: { type: 'open-dashboard' }, enabled: true });
    }
  });
});

describe('tunnels and Fly.io in the menu', () => {
  const tunnel: TunnelSnapshot = {
    name: 'public',
    kind: 'ngrok',
    state: 'up',
    error: null,
    publicUrls: ['https://a1.ngrok.app'],
    service: 'ngrok',
    address: 'http://127.0.0.1:4040',
    readyConnections: null,
    expectedConnections: null,
    probe: null,
    lastSeenAt: null,
  };

  it('offers to copy each public URL and to restart the tunnel through its agent service', () => {
    const items = trayMenu(snapshot([service('api')], { tunnels: [tunnel] }));
    const submenu = items.find((i) => i.kind === 'submenu' && i.label === 'public tunnel: up');
    expect(submenu).toBeDefined();
    const actions = submenu!.kind === 'submenu' ? submenu!.items : [];
    expect(actions).toContainEqual({ kind: 'action', label: 'Copy https://a1.ngrok.app', action: { type: 'copy', text: 'https://a1.ngrok.app' }, enabled: true });
    expect(actions).toContainEqual({ kind: 'action', label: 'Restart (restarts ngrok)', action: { type: 'restart-tunnel', tunnel: 'public' }, enabled: true });
  });

  it('a tunnel down or a Fly app down turns the icon red; degraded amber', () => {
    const ok = snapshot([service('api')], { tunnels: [tunnel] });
    expect(trayIconState(ok)).toBe('ok');
    expect(trayIconState({ ...ok, tunnels: [{ ...tunnel, state: 'degraded' }] })).toBe('warning');
    expect(trayIconState({ ...ok, tunnels: [{ ...tunnel, state: 'down' }] })).toBe('error');
    const fly: FlySnapshot = { app: 'my-app', health: 'down', error: null, mode: 'machines-api', healthUrl: 'https://my-app.fly.dev/health', machines: [], lastPollAt: null, lastDeployAt: null };
    expect(trayIconState({ ...ok, fly })).toBe('error');
    const menu = trayMenu({ ...ok, fly });
    expect(menu.some((i) => i.kind === 'submenu' && i.label === 'Fly.io my-app: down')).toBe(true);
  });
});
