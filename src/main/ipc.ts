// The IPC handlers, each behind the one sender-and-payload check of ipc-guard.ts.
import { ipcMain, type IpcMainInvokeEvent, shell } from 'electron';
import type { EngineHandle } from './engine-process.ts';
import type { SecretStore } from './secret-store.ts';
import { registerIpcHandlers } from './ipc-guard.ts';
import type { DashboardWindow } from './window.ts';

export function setupIpc(options: { engine: EngineHandle; dashboard: DashboardWindow; trustedUrl: string; secrets: SecretStore }): void {
  registerIpcHandlers<IpcMainInvokeEvent>(ipcMain, options.trustedUrl, {
    'engine:connect': (_payload, event) => ({ connected: options.engine.connectRenderer(event.sender) }),
    'shell:open-service': async ({ port }) => {
      await shell.openExternal(`http://127.0.0.1:${port}/`);
      return undefined;
    },
    'window:hide': () => {
      options.dashboard.hide();
      return undefined;
    },
    'secrets:fly-token-status': () => ({ stored: options.secrets.has('flyApiToken'), encryption: options.secrets.available }),
    'secrets:set-fly-token': ({ token }) => {
      options.secrets.set('flyApiToken', token);
      // The engine reads its environment once: start it again with the token (the services
      // keep running and are adopted by the new engine).
      options.engine.restart();
      return { stored: options.secrets.has('flyApiToken') };
    },
  });
}
