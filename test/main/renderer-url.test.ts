// The app serves its dashboard from vigil://app/ rather than file://, so that the page's
// 'self' is the renderer folder alone, not every file on the disk. Which file a vigil:// URL
// maps to is decided here, and nothing outside the renderer folder is ever served.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_URL, isDashboardUrl, isRealFileInside, rendererFileFor } from '../../src/main/renderer-url.ts';
import { contentTypeFor } from '../../src/shared/dashboard-files.ts';

const dir = path.join(path.sep, 'opt', 'Vigil', 'resources', 'app.asar', 'dist', 'renderer');

describe('rendererFileFor', () => {
  it('maps the dashboard and its assets to files in the renderer folder', () => {
    expect(rendererFileFor(DASHBOARD_URL, dir)).toEqual({ ok: true, file: path.join(dir, 'index.html') });
    expect(rendererFileFor('vigil://app/', dir)).toEqual({ ok: true, file: path.join(dir, 'index.html') });
    expect(rendererFileFor('vigil://app/app.js', dir)).toEqual({ ok: true, file: path.join(dir, 'app.js') });
    expect(rendererFileFor('vigil://app/app.css?v=2#x', dir)).toEqual({ ok: true, file: path.join(dir, 'app.css') });
    expect(rendererFileFor('vigil://app/fonts/a%20b.woff2', dir)).toEqual({ ok: true, file: path.join(dir, 'fonts', 'a b.woff2') });
  });

  it('.. segments, plain or %-encoded, stay inside: the URL parser resolves them against the root', () => {
    expect(rendererFileFor('vigil://app/../../../etc/passwd', dir)).toEqual({ ok: true, file: path.join(dir, 'etc', 'passwd') });
    expect(rendererFileFor('vigil://app/%2e%2e/%2E%2e/etc/passwd', dir)).toEqual({ ok: true, file: path.join(dir, 'etc', 'passwd') });
    expect(rendererFileFor('vigil://app/%2e', dir)).toEqual({ ok: true, file: path.join(dir, 'index.html') });
  });

  it.each([
    ['an encoded slash', 'vigil://app/..%2F..%2Fetc%2Fpasswd'],
    ['an encoded backslash', 'vigil://app/..%5C..%5Cwindows%5Cwin.ini'],
    ['a backslash', 'vigil://app/..\\..\\etc\\passwd'],
    ['a NUL byte', 'vigil://app/index.html%00.png'],
    ['a malformed escape', 'vigil://app/%E0%A4%A'],
    ['a sibling folder with the same prefix', 'vigil://app/..%2Frenderer-evil%2Fx.js'],
    ['the renderer folder itself', 'vigil://app/.%2F'],
    ['another host', 'vigil://evil/index.html'],
    ['another scheme', 'file:///etc/passwd'],
    ['an https page', 'https://app/index.html'],
    ['credentials in the URL', 'vigil://user:pw@app/index.html'],
    ['a port', 'vigil://app:80/index.html'],
    ['not a URL at all', 'vigil:app'],
    ['an empty string', ''],
  ])('refuses %s', (_what, url) => {
    const result = rendererFileFor(url, dir);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toEqual(expect.any(String));
  });

  it('never answers with a path outside the renderer folder, whatever the URL', () => {
    const parts = ['..', '%2e%2e', '%2E%2e', '.', '%2f', '%5c', 'a', 'index.html', '', '%00', '//', '\\'];
    for (const a of parts) {
      for (const b of parts) {
        for (const c of parts) {
          const result = rendererFileFor(`vigil://app/${a}/${b}/${c}`, dir);
          if (result.ok) expect(result.file.startsWith(dir + path.sep), `vigil://app/${a}/${b}/${c} -> ${result.file}`).toBe(true);
        }
      }
    }
  });

  it('a link in the renderer folder that leads out of it is not a file inside it', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'vigil-renderer-'));
    const renderer = path.join(root, 'renderer');
    mkdirSync(renderer);
    writeFileSync(path.join(root, 'secret.txt'), 'secret');
    symlinkSync(path.join(root, 'secret.txt'), path.join(renderer, 'leak.txt'));
    writeFileSync(path.join(renderer, 'index.html'), '<!doctype html>');
    expect(isRealFileInside(path.join(renderer, 'leak.txt'), renderer)).toBe(false);
    expect(isRealFileInside(path.join(renderer, 'index.html'), renderer)).toBe(true);
    expect(isRealFileInside(path.join(renderer, 'missing.js'), renderer)).toBe(false);
    expect(isRealFileInside(renderer, renderer)).toBe(false);
  });
});

describe('isDashboardUrl', () => {
  it('is the dashboard page and nothing else', () => {
    expect(isDashboardUrl(DASHBOARD_URL)).toBe(true);
    expect(isDashboardUrl(`${DASHBOARD_URL}#token=x`)).toBe(true);
    expect(isDashboardUrl('vigil://app/other.html')).toBe(false);
    expect(isDashboardUrl('vigil://evil/index.html')).toBe(false);
    expect(isDashboardUrl('file:///opt/Vigil/resources/app.asar/dist/renderer/index.html')).toBe(false);
    expect(isDashboardUrl('https://example.com/index.html')).toBe(false);
    expect(isDashboardUrl('not a url')).toBe(false);
  });
});

describe('contentTypeFor', () => {
  it('names the types the dashboard uses, and octet-stream otherwise', () => {
    expect(contentTypeFor('/x/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('/x/app.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('/x/app.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('/x/favicon.svg')).toBe('image/svg+xml');
    expect(contentTypeFor('/x/app.js.map')).toBe('application/json');
    expect(contentTypeFor('/x/blob.bin')).toBe('application/octet-stream');
    expect(contentTypeFor('/x.js/README')).toBe('application/octet-stream');
  });
});
