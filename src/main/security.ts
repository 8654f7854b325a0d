// Electron's security checklist, applied to every web contents: no new windows, no navigation
// away from the dashboard, no webviews, no permission prompts.
import { app, session } from 'electron';

export function setupSecurity(trustedUrl: string): void {
  const trusted = new URL(trustedUrl);
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      const target = new URL(url);
      if (target.protocol !== trusted.protocol || target.pathname !== trusted.pathname) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}
