// The dashboard window: created on first use, hidden rather than closed (the app lives in the
// tray), reopened where the user left it. The renderer is locked down: no Node, isolated
// context, OS sandbox; it reaches main only through the preload's named actions.
import { BrowserWindow, screen } from 'electron';
import type { SettingsStore } from './settings.ts';
import { MIN_WINDOW_SIZE, restoreBounds } from './window-bounds.ts';

export interface DashboardWindow {
  /** Shows the window; with a fragment (`#/service/api`), at that place in the dashboard. */
  show(fragment?: string): void;
  hide(): void;
  toggle(): void;
  /** Lets the window really close (on quit). */
  allowClose(): void;
}

export interface WindowOptions {
  /** The dashboard's address (vigil://app/index.html). */
  url: string;
  preload: string;
  settings: SettingsStore;
}

export function setupWindow(options: WindowOptions): DashboardWindow {
  let window: BrowserWindow | null = null;
  let closing = false;
  let saveTimer: NodeJS.Timeout | null = null;

  const saveBounds = () => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      if (window && !window.isDestroyed() && !window.isMinimized()) options.settings.set('windowBounds', window.getNormalBounds());
    }, 400);
  };

  const create = (url: string): BrowserWindow => {
    const bounds = restoreBounds(
      options.settings.get('windowBounds'),
      screen.getAllDisplays().map((d) => d.workArea),
    );
    const win = new BrowserWindow({
      ...bounds,
      minWidth: MIN_WINDOW_SIZE.width,
      minHeight: MIN_WINDOW_SIZE.height,
      show: false,
      title: 'Vigil',
      backgroundColor: '#f6f7f9',
      autoHideMenuBar: true,
      webPreferences: {
        preload: options.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        webviewTag: false,
        spellcheck: false,
      },
    });
    win.once('ready-to-show', () => win.show());
    win.on('moved', saveBounds);
    win.on('resized', saveBounds);
    win.on('close', (event) => {
      if (closing) return;
      event.preventDefault();
      win.hide();
    });
    win.on('closed', () => {
      window = null;
    });
    void win.loadURL(url);
    return win;
  };

  const show = (fragment?: string) => {
    const url = fragment ? `${options.url}${fragment}` : options.url;
    if (!window) {
      window = create(url);
      return;
    }
    // Only the fragment differs from the page's address: the page follows it without reloading.
    if (fragment) void window.loadURL(url);
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  return {
    show,
    hide: () => window?.hide(),
    toggle: () => (window?.isVisible() && window.isFocused() ? window.hide() : show()),
    allowClose: () => {
      closing = true;
    },
  };
}
