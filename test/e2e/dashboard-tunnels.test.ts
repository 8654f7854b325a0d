// The dashboard's tunnels card in Chromium: a tunnel's state and today's public URL, live.
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeNgrokAgent, startFakeNgrokAgent } from '../fixtures/fake-ngrok-agent.mjs';
import { hasChromium, launchChromium } from './chromium.ts';
import { type ServeProcess, startServe } from './serve-process.ts';

describe.skipIf(!hasChromium)('tunnels in the dashboard', () => {
  let agent: FakeNgrokAgent;
  let serve: ServeProcess;

  beforeAll(async () => {
    agent = await startFakeNgrokAgent();
    agent.addTunnel({ name: 'web', publicUrl: 'https://first.ngrok.app' });
    serve = await startServe(`tunnels:\n  - name: public\n    kind: ngrok\n    api: ${agent.url}\n    expect: [web]\n    interval: 100ms\n`);
  }, 60_000);

  afterAll(async () => {
    await serve?.stop();
    await agent?.close();
  });

  it('shows the tunnel up with its URL, and the new URL after the agent changes it', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
      await page.goto(`${serve.base}/#token=${serve.token}`);
      const row = page.locator('li[data-tunnel="public"]');
      await page.locator('li[data-tunnel="public"][data-state="up"]').waitFor();
      expect(await row.locator('a.public-url').textContent()).toBe('https://first.ngrok.app');

      agent.setPublicUrl('web', 'https://second.ngrok.app');
      await expect.poll(() => row.locator('a.public-url').textContent(), { timeout: 15_000 }).toBe('https://second.ngrok.app');
      await page.locator('li[data-event-type="tunnel.url"]').waitFor();

      agent.removeTunnel('web');
      await page.locator('li[data-tunnel="public"][data-state="degraded"]').waitFor();
      await page.screenshot({ path: path.join(os.tmpdir(), 'vigil-dashboard-tunnels.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 90_000);
});
