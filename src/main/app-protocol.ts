// Serves the dashboard from vigil://app/ instead of file:// (see renderer-url.ts for why, and
// for which file each address maps to). Each answer carries the dashboard's CSP as a header.
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { contentTypeFor, DASHBOARD_CSP } from '../shared/dashboard-files.ts';
import { APP_SCHEME, isRealFileInside, rendererFileFor } from './renderer-url.ts';

/** Must run before the app is ready. A standard, secure scheme: the page gets an origin of
 * its own (vigil://app) and a secure context, as an https page would; nothing more. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, codeCache: true } }]);
}

/** Answers vigil://app/... with the files of `rendererDir`, read-only, GET only. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET') return new Response('only GET', { status: 405 });
    const target = rendererFileFor(request.url, rendererDir);
    if (!target.ok) return new Response(target.reason, { status: target.status });
    if (!isRealFileInside(target.file, rendererDir)) return new Response('not found', { status: 404 });
    try {
      return new Response(new Uint8Array(await readFile(target.file)), {
        headers: {
          'content-type': contentTypeFor(target.file),
          'content-security-policy': DASHBOARD_CSP,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}
