// The app serves its dashboard from vigil://app/ rather than file://. Under file://, the
// page's 'self' (in its Content-Security-Policy) and its fetches reach every file on the
// disk; under vigil://app/ they reach the renderer folder and nothing else. This file decides
// which file a vigil:// URL maps to (the protocol handler in app-protocol.ts serves it);
// no Electron import, so the decisions are unit-tested.
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';

export const APP_SCHEME = 'vigil';
const APP_HOST = 'app';
export const DASHBOARD_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

export type RendererFile = { ok: true; file: string } | { ok: false; status: 400 | 404; reason: string };

const refuse = (status: 400 | 404, reason: string): RendererFile => ({ ok: false, status, reason });

/** The file in `rendererDir` that `url` names, or why there is none. Never a path outside the folder. */
export function rendererFileFor(url: string, rendererDir: string): RendererFile {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse(400, `not a URL: ${url.slice(0, 100)}`);
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.hostname !== APP_HOST || parsed.port || parsed.username || parsed.password) {
    return refuse(404, `not a ${APP_SCHEME}://${APP_HOST}/ address: ${url.slice(0, 100)}`);
  }
  let relative: string;
  try {
    relative = decodeURIComponent(parsed.pathname);
  } catch {
    return refuse(400, `malformed %-escape in ${parsed.pathname.slice(0, 100)}`);
  }
  // A backslash is a separator on Windows, and a NUL cuts a path short in native code.
  if (/[\\\0]/.test(relative)) return refuse(400, `the path ${JSON.stringify(relative.slice(0, 100))} holds a backslash or a NUL`);
  if (relative === '/' || relative === '') relative = '/index.html';
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${relative}`);
  if (!file.startsWith(root + path.sep)) return refuse(404, `${relative.slice(0, 100)} is outside the dashboard`);
  return { ok: true, file };
}

/** True when `file`, links resolved, is a regular file inside `dir` (links resolved too): a
 * link placed in the renderer folder must not serve what it points at. */
export function isRealFileInside(file: string, dir: string): boolean {
  try {
    const real = realpathSync(file);
    return real.startsWith(realpathSync(dir) + path.sep) && statSync(real).isFile();
  } catch {
    return false;
  }
}

/** True for the dashboard page itself (any query or #fragment): where the window may navigate. */
export function isDashboardUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    const dashboard = new URL(DASHBOARD_URL);
    return parsed.protocol === dashboard.protocol && parsed.host === dashboard.host && parsed.pathname === dashboard.pathname;
  } catch {
    return false;
  }
}
