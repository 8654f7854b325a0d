// The menubar icon and its menu. What they show is decided by tray-menu.ts and
// tray-icon-state.ts from the snapshot; this file only hands it to Electron.
import path from 'node:path';
import { clipboard, Menu, type MenuItemConstructorOptions, nativeImage, Tray } from 'electron';
import type { StateSnapshot } from '../shared/contract.ts';
import type { EngineHandle } from './engine-process.ts';
import { trayIconFile, trayIconState, trayTooltip } from './tray-icon-state.ts';
import { type TrayAction, type TrayMenuItem, trayMenu } from './tray-menu.ts';

export interface TrayOptions {
  engine: EngineHandle;
  assetsDir: string;
  openDashboard(): void;
  toggleDashboard(): void;
  quit(): void;
}

export function setupTray(options: TrayOptions): Tray {
  const { engine } = options;
  let state: StateSnapshot | null = null;
  let shownMenu = '';
  let shownIcon = '';

  const icon = (file: string) => nativeImage.createFromPath(path.join(options.assetsDir, file));

  const run = (action: TrayAction) => {
    const report = (err: unknown) => console.error(`vigil: ${(err as Error).message}`);
    switch (action.type) {
      case 'service':
        return void engine.call({ method: 'act', service: action.service, action: action.action }).catch(report);
      case 'set-auto-restart':
        return void engine.call({ method: 'set-auto-restart', request: { enabled: action.enabled } }).catch(report);
      case 'restart-tunnel':
        return void engine.call({ method: 'restart-tunnel', tunnel: action.tunnel }).catch(report);
      case 'copy':
        return clipboard.writeText(action.text);
      case 'open-dashboard':
        return options.openDashboard();
      case 'restart-engine':
        return engine.restart();
      case 'quit':
        return options.quit();
    }
  };

  const template = (items: TrayMenuItem[]): MenuItemConstructorOptions[] =>
    items.map((item): MenuItemConstructorOptions => {
      switch (item.kind) {
        case 'label':
          return { label: item.label, enabled: false };
        case 'separator':
          return { type: 'separator' };
        case 'action':
          return { label: item.label, enabled: item.enabled, click: () => run(item.action) };
        case 'checkbox':
          return { label: item.label, type: 'checkbox', checked: item.checked, enabled: item.enabled, click: () => run(item.action) };
        case 'submenu':
          return { label: item.label, submenu: template(item.items) };
      }
    });

  const file = trayIconFile(trayIconState(null, engine.status), process.platform);
  const tray = new Tray(icon(file));
  shownIcon = file;

  const render = () => {
    const items = trayMenu(state, engine.status);
    // Snapshots arrive often; rebuild the native menu only when what it shows has changed.
    const key = JSON.stringify(items);
    if (key !== shownMenu) {
      shownMenu = key;
      tray.setContextMenu(Menu.buildFromTemplate(template(items)));
    }
    const next = trayIconFile(trayIconState(state, engine.status), process.platform);
    if (next !== shownIcon) {
      shownIcon = next;
      tray.setImage(icon(next));
    }
    tray.setToolTip(trayTooltip(state, engine.status));
  };

  engine.onLive((message) => {
    if (message.kind !== 'state') return;
    state = message.state;
    render();
  });
  engine.onStatus((status) => {
    if (status.status !== 'running') state = null;
    render();
  });
  // Windows and Linux: a left click toggles the dashboard. On macOS a click opens the menu,
  // which has "Open dashboard".
  if (process.platform !== 'darwin') tray.on('click', () => options.toggleDashboard());
  render();
  return tray;
}
