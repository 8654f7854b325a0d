// Electron main: thin glue. The engine runs in a utility process of its own; everything this
// process shows (tray, window, notifications) is computed from the engine's snapshots.
import path from 'node:path';
import { app, safeStorage } from 'electron';
import { registerAppScheme, serveRenderer } from './app-protocol.ts';
import { parseAppArgs } from './app-args.ts';
import { setupEngine } from './engine-process.ts';
import { setupIpc } from './ipc.ts';
import { setupNotifications } from './notifications.ts';
import { DASHBOARD_URL } from './renderer-url.ts';
import { SecretStore } from './secret-store.ts';
import { setupSecurity } from './security.ts';
import { mirrorAutoRestart, setupSettings } from './settings.ts';
import { setupTray } from './tray.ts';
import { setupWindow } from './window.ts';

const root = app.getAppPath();
const files = {
  engineHost: path.join(root, 'dist', 'engine-host', 'engine-host.mjs'),
  preload: path.join(root, 'dist', 'preload', 'preload.cjs'),
  renderer: path.join(root, 'dist', 'renderer'),
  assets: path.join(root, 'assets'),
};

function start(): void {
  // A menubar app: no dock icon (LSUIElement does this for the packaged app).
  app.dock?.hide();
  const args = parseAppArgs(process.argv.slice(1));
  args.errors.forEach((e) => console.error(`vigil: ${e}`));
  // The dashboard comes from vigil://app/, never file:// (see renderer-url.ts).
  serveRenderer(files.renderer);
  const trustedUrl = DASHBOARD_URL;
  const settings = setupSettings();
  const secrets = new SecretStore(safeStorage, settings);
  setupSecurity();
  const engine = setupEngine({
    modulePath: files.engineHost,
    cwd: process.cwd(),
    hostOptions: { files: args.files.length > 0 ? args.files : settings.get('stackFiles'), port: args.port, watch: args.watch },
    secretEnv: () => secrets.engineEnv(process.env),
  });
  const dashboard = setupWindow({ url: DASHBOARD_URL, preload: files.preload, settings });
  setupIpc({ engine, dashboard, trustedUrl, secrets });
  setupTray({ engine, assetsDir: files.assets, openDashboard: dashboard.show, toggleDashboard: dashboard.toggle, quit: () => app.quit() });
  setupNotifications(engine, dashboard.show);
  app.on('second-instance', () => dashboard.show());
  mirrorAutoRestart(settings, (listener) => engine.onLive((m) => m.kind === 'state' && listener(m.state)));

  // Quitting stops the stack first, as Ctrl-C does for `vigil serve`.
  let engineStopped = false;
  app.on('before-quit', (event) => {
    dashboard.allowClose();
    if (engineStopped) return;
    event.preventDefault();
    void engine.stop().then(() => {
      engineStopped = true;
      app.quit();
    });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
}

registerAppScheme(); // before ready, as Electron requires

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // The tray app keeps running with no window open.
  app.on('window-all-closed', () => {});
  void app.whenReady().then(start);
}
