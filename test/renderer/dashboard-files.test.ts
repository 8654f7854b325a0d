// One Content-Security-Policy for the dashboard wherever it runs: the header `vigil serve`
// sends, the header the app's vigil:// handler sends, and the page's own <meta> tag. No
// 'unsafe-inline' anywhere: the renderer styles through its stylesheet and React's style
// properties (CSSOM, which the policy does not block), never through inline <style> or
// style="" markup.
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vigilPaths } from '../../src/core/paths.ts';
import { type RunningServer, startServer } from '../../src/core/serve.ts';
import { DASHBOARD_CSP } from '../../src/shared/dashboard-files.ts';
import { ROOT, tempDir, writeStack } from '../helpers/stack.ts';

const directives = (policy: string) => new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

describe('the dashboard CSP', () => {
  it('allows no inline script or style and no eval', () => {
    expect(DASHBOARD_CSP).not.toContain('unsafe-inline');
    expect(DASHBOARD_CSP).not.toContain('unsafe-eval');
    expect(directives(DASHBOARD_CSP).get('style-src')).toEqual(["'self'"]);
    expect(directives(DASHBOARD_CSP).get('script-src')).toEqual(["'self'"]);
  });

  it("is the page's own <meta> policy too (less frame-ancestors, which a <meta> tag cannot set)", () => {
    const html = readFileSync(path.join(ROOT, 'src/renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    const expected = directives(DASHBOARD_CSP);
    expected.delete('frame-ancestors');
    expect(directives(meta ?? '')).toEqual(expected);
  });

  it('the renderer source sets no style="" attribute and injects no <style>', () => {
    const sources = readdirSync(path.join(ROOT, 'src/renderer'), { recursive: true, encoding: 'utf8' }).filter((f) => /\.tsx?$/.test(f));
    expect(sources.length).toBeGreaterThan(5);
    for (const file of sources) {
      const text = readFileSync(path.join(ROOT, 'src/renderer', file), 'utf8');
      expect(text, file).not.toMatch(/<style|dangerouslySetInnerHTML|style="/);
    }
  });
});

describe('vigil serve sends it with the dashboard', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const dir = tempDir();
    server = await startServer({ files: [writeStack(dir, 'services: []\n')], port: 0, paths: vigilPaths(path.join(dir, 'home')), print: () => {} });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('as the content-security-policy header of the page', async () => {
    const header = await new Promise<string | undefined>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: server.api.port, path: '/', headers: { host: `127.0.0.1:${server.api.port}` } }, (res) => {
          res.resume();
          resolve(res.headers['content-security-policy'] as string | undefined);
        })
        .on('error', reject);
    });
    expect(header).toBe(DASHBOARD_CSP);
  });
});
