// Electron's security checklist, applied to every web contents: no new windows, no navigation
// away from the dashboard, no webviews, no permission prompts.
import { app, session } from 'electron';
import { isDashboardUrl } from './renderer-url.ts';

export function setupSecurity(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isDashboardUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}
