// The IPC handlers, each behind the one sender-and-payload check of ipc-guard.ts.
import { ipcMain, type IpcMainInvokeEvent, shell } from 'electron';
import type { EngineHandle } from './engine-process.ts';
import { registerIpcHandlers } from './ipc-guard.ts';
import type { DashboardWindow } from './window.ts';

export function setupIpc(options: { engine: EngineHandle; dashboard: DashboardWindow; trustedUrl: string }): void {
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
  });
}
