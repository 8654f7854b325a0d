// The dashboard in a real browser (Debian's Chromium, driven by playwright-core) against a real
// `vigil serve`: sign-in through the printed URL, live state over the WebSocket, the buttons
// and the auto-restart switch.
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../../src/shared/contract.ts';
import { CHROMIUM, hasChromium, launchChromium } from './chromium.ts';
import { processExists, type ServeProcess, startServe } from './serve-process.ts';

if (!hasChromium) console.warn(`dashboard e2e skipped: ${CHROMIUM} is missing (install Debian's "chromium" package: apt-get install chromium)`);

const SCREENSHOT = path.join(os.tmpdir(), 'vigil-dashboard.png');

describe.skipIf(!hasChromium)('dashboard in Chromium against vigil serve', () => {
  let serve: ServeProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  const pidCell = (name: string) => page.locator(`tr[data-service="${name}"] [data-field="pid"]`);
  const state = () => serve.api<StateSnapshot>('GET', '/api/state');
  const pidOf = async (name: string) => (await state()).services.find((s) => s.name === name)?.pid ?? null;

  beforeAll(async () => {
    serve = await startServe();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1200, height: 720 } });
    page = await context.newPage();
    // A CSP violation (an inline script, say) or an uncaught error shows up here.
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (serve) {
      const services = (await state().catch(() => null))?.services.map((s) => s.pid).filter((p): p is number => p !== null) ?? [];
      expect(await serve.stop()).toBe(0);
      // Ctrl-C stops the stack too: nothing is left behind.
      for (const pid of services) expect(processExists(pid)).toBe(false);
    }
  }, 60_000);

  it('signs in through the printed URL and shows both services running', async () => {
    const response = await page.goto(`${serve.base}/#token=${serve.token}`);
    expect(response?.status()).toBe(200);
    // The token (a #fragment, never sent to a server) left the address bar; no cookie holds it,
    // since browsers would send a cookie to every local server on 127.0.0.1.
    await expect.poll(() => page.url()).toBe(`${serve.base}/`);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await page.evaluate(() => sessionStorage.getItem('vigil-token'))).toBe(serve.token);
    await page.locator('tr[data-service="alpha"][data-state="running"]').waitFor();
    await page.locator('tr[data-service="beta"][data-state="running"]').waitFor();
    await page.locator('[data-connection="open"]').waitFor();
    const api = await state();
    for (const s of api.services) {
      await expect.poll(() => pidCell(s.name).textContent()).toBe(String(s.pid));
      const port = await page.locator(`tr[data-service="${s.name}"] [data-field="port"]`).textContent();
      expect(port).toBe(String(s.port));
    }
    expect(serve.ports).toContain(api.services[0]?.port);
    await expect.poll(() => page.locator('li[data-event-type="config.applied"]').count()).toBeGreaterThan(0);
  });

  it('restarts a service from its button: a new pid and a restart event arrive live', async () => {
    const before = await pidOf('alpha');
    expect(before).not.toBeNull();
    await page.getByRole('button', { name: 'Restart alpha', exact: true }).click();
    await expect.poll(async () => {
      const text = await pidCell('alpha').textContent();
      return text !== String(before) && /^\d+$/.test(text ?? '') ? 'changed' : text;
    }, { timeout: 15_000 }).toBe('changed');
    await page.locator('tr[data-service="alpha"][data-state="running"]').waitFor();
    const after = await pidOf('alpha');
    expect(after).not.toBe(before);
    await expect.poll(() => pidCell('alpha').textContent()).toBe(String(after));
    await page.locator(`li[data-service="alpha"]`, { hasText: `started pid ${after}` }).waitFor();
    await expect.poll(() => page.locator('tr[data-service="alpha"] [data-field="restarts"]').textContent()).toBe('1');
    // beta was left alone
    expect(await page.locator('tr[data-service="beta"] [data-field="restarts"]').textContent()).toBe('0');
  });

  it('stops and starts a service', async () => {
    await page.getByRole('button', { name: 'Stop beta', exact: true }).click();
    await page.locator('tr[data-service="beta"][data-state="stopped"]').waitFor();
    expect(await pidCell('beta').textContent()).toBe('—');
    expect(await page.getByRole('button', { name: 'Start beta', exact: true }).isEnabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Stop beta', exact: true }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Start beta', exact: true }).click();
    await page.locator('tr[data-service="beta"][data-state="running"]').waitFor({ timeout: 15_000 });
    expect((await state()).services.find((s) => s.name === 'beta')?.state).toBe('running');
  });

  it('toggles auto-restart, and the engine agrees; a change made elsewhere shows up too', async () => {
    const toggle = page.getByRole('switch', { name: 'Auto-restart' });
    expect(await toggle.isChecked()).toBe(true);
    await page.locator('label.switch').click();
    await expect.poll(async () => (await state()).autoRestart).toBe(false);
    await expect.poll(() => toggle.isChecked()).toBe(false);
    await page.locator('li[data-event-type="settings.changed"]', { hasText: 'auto-restart off' }).waitFor();
    // From the CLI's side (the HTTP API): the page follows over the WebSocket.
    await serve.api('PUT', '/api/auto-restart', { enabled: true });
    await expect.poll(() => toggle.isChecked()).toBe(true);
  });

  it('looks right, with no errors in the page', async () => {
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
  });
});
