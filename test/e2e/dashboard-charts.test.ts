// The charts in a real browser (Debian's Chromium, driven by playwright-core) against a real
// `vigil serve` whose VIGIL_HOME holds two hours of history from an earlier run: the charts
// show that history from their first query, live ticks add points without a new query, a
// service's view marks its restart and asks again when the range changes, a deep link with the
// token lands on a service, a paused history is said, and the page follows the light and dark
// themes at the app's size and the menubar popover's. Each chart's accessible name says how
// many points it holds and its latest value: the test reads that, as a screen reader would.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_FILE } from '../../src/core/metrics/metrics-subsystem.ts';
import type { StateSnapshot } from '../../src/shared/contract.ts';
import { NODE, ROOT } from '../helpers/stack.ts';
import { CHROMIUM, hasChromium, launchChromium } from './chromium.ts';
import { SEED_EVERY_MS, seedHistory } from './seeded-history.ts';
import { type ServeProcess, startServe, stopChild } from './serve-process.ts';

if (!hasChromium) console.warn(`charts e2e skipped: ${CHROMIUM} is missing (install Debian's "chromium" package: apt-get install chromium)`);

const SCREENSHOTS = path.join(ROOT, 'test/e2e/screenshots');
const LOCK_HOLDER = path.join(ROOT, 'test/fixtures/sqlite-lock-holder.mjs');
const MINUTE = 60_000;
/** The seeded samples in a 15-minute window, give or take the edges (one per 10 s). */
const SEEDED_IN_15_MIN = Math.floor((15 * MINUTE - 30_000) / SEED_EVERY_MS) - 2;

/** The points a chart (or sparkline) holds, from its accessible name: "CPU, last 15 min: CPU:
 * 120 points, latest 12 %" (one "N points" per line). */
async function pointsOf(canvas: Locator): Promise<number> {
  const label = (await canvas.getAttribute('aria-label')) ?? '';
  return [...label.matchAll(/(\d+) points/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

const chart = (page: Page, id: string) => page.locator(`[data-testid="chart-${id}"] canvas`);

describe.skipIf(!hasChromium)('charts in Chromium against vigil serve with history', () => {
  let serve: ServeProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  /** Every history query the page made, in order. */
  const queries: URL[] = [];
  let seededPerSeries = 0;

  const watch = (p: Page) => {
    p.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    p.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname === '/api/metrics/query') queries.push(url);
    });
  };

  beforeAll(async () => {
    serve = await startServe('', (home) => {
      seededPerSeries = seedHistory(home, Date.now()).samplesPerSeries;
    });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1200, height: 800 }, colorScheme: 'light' });
    // Any CSP violation (an inline style in markup, say) is collected before the page runs.
    await context.addInitScript(() => {
      const found: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = found;
      document.addEventListener('securitypolicyviolation', (e) => found.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
    });
    page = await context.newPage();
    watch(page);
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (serve) expect(await serve.stop()).toBe(0);
  }, 60_000);

  it('shows the stored history on the overview from its first query, before any live tick', async () => {
    expect(seededPerSeries).toBeGreaterThan(500);
    await page.goto(`${serve.base}/#token=${serve.token}`);
    await page.locator('tr[data-service="alpha"][data-state="running"]').waitFor();
    for (const id of ['cpu', 'memory', 'disk', 'network']) {
      await expect.poll(() => pointsOf(chart(page, id)), { timeout: 15_000 }).toBeGreaterThanOrEqual(SEEDED_IN_15_MIN);
    }
    // Each service row's sparklines too.
    for (const name of ['alpha', 'beta']) {
      await expect.poll(() => pointsOf(page.getByRole('img', { name: `${name} CPU, last 15 min`, exact: false }))).toBeGreaterThanOrEqual(SEEDED_IN_15_MIN);
      await expect.poll(() => pointsOf(page.getByRole('img', { name: `${name} memory, last 15 min`, exact: false }))).toBeGreaterThanOrEqual(SEEDED_IN_15_MIN);
    }
    // One query for all of them: the last 15 minutes at 1 s steps.
    expect(queries).toHaveLength(1);
    const first = queries[0]!;
    expect(Number(first.searchParams.get('to')) - Number(first.searchParams.get('from'))).toBe(15 * MINUTE);
    expect(first.searchParams.get('step')).toBe('1000');
    expect(first.searchParams.getAll('series')).toEqual(expect.arrayContaining(['system_cpu_percent', 'service_cpu_percent{service="alpha"}', 'service_rss_bytes{service="beta"}']));
    // The value beside the chart is the history's (or a tick's) latest, not a dash.
    expect(await page.locator('[data-testid="chart-cpu"] .chart-value').first().textContent()).toMatch(/^\d+(\.\d+)? %$/);
  });

  it('adds live points as ticks arrive, without asking the history again', async () => {
    const asked = queries.length;
    const before = await pointsOf(chart(page, 'cpu'));
    const sparkBefore = await pointsOf(page.getByRole('img', { name: 'alpha CPU, last 15 min', exact: false }));
    // Sampling runs every second while the page looks; seeded points leave the window every 10 s.
    await expect.poll(() => pointsOf(chart(page, 'cpu')), { timeout: 15_000 }).toBeGreaterThan(before + 2);
    await expect.poll(() => pointsOf(page.getByRole('img', { name: 'alpha CPU, last 15 min', exact: false })), { timeout: 15_000 }).toBeGreaterThan(sparkBefore);
    expect(queries).toHaveLength(asked);
    const state = await serve.api<StateSnapshot>('GET', '/api/state');
    expect(state.metrics.sampling).toEqual({ intervalMs: 1000, active: true });
  });

  it('opens a service from its row: CPU, memory, health latency, the restart marked, availability', async () => {
    await page.getByRole('link', { name: 'alpha', exact: true }).click();
    await expect.poll(() => page.url()).toBe(`${serve.base}/#/service/alpha`);
    await page.getByRole('heading', { name: 'alpha', exact: true }).waitFor();
    for (const id of ['cpu', 'rss', 'health']) {
      await expect.poll(() => pointsOf(chart(page, id)), { timeout: 15_000 }).toBeGreaterThanOrEqual(SEEDED_IN_15_MIN);
    }
    // The crash 10 minutes before the engine started, from the stored events, and this engine's
    // start of alpha.
    await page.locator('li[data-marker="restart"]', { hasText: 'restarted (exited with code 1 after 1h 12m)' }).waitFor();
    await page.locator('li[data-marker="start"]', { hasText: 'started' }).waitFor();
    expect(await chart(page, 'cpu').getAttribute('aria-label')).toMatch(/; 2 marked: restarted \(exited with code 1 after 1h 12m\), started$/);
    const query = queries.at(-1)!;
    expect(query.searchParams.getAll('series')).toEqual(expect.arrayContaining(['service_cpu_percent{service="alpha"}', 'service_rss_bytes{service="alpha"}', 'service_health_latency_ms{service="alpha"}']));
    // The snapshot's availability over 24 h and 7 d.
    expect(await page.locator('.service-view [data-field="availability"]').textContent()).toMatch(/^available (\d+(\.\d+)? %|100 %|—) 24 h · (\d+(\.\d+)? %|—) 7 d$/);
  });

  it('asks the history again when the range changes, with the range’s from and step', async () => {
    const fifteen = await pointsOf(chart(page, 'cpu'));
    for (const [label, windowMs, step] of [
      ['1 h', 60 * MINUTE, 5000],
      ['24 h', 24 * 60 * MINUTE, 60_000],
      ['7 d', 7 * 24 * 60 * MINUTE, 600_000],
      ['15 min', 15 * MINUTE, 1000],
    ] as const) {
      const asked = queries.length;
      await page.getByRole('link', { name: label, exact: true }).click();
      await expect.poll(() => queries.length).toBe(asked + 1);
      const query = queries.at(-1)!;
      expect(Number(query.searchParams.get('to')) - Number(query.searchParams.get('from'))).toBe(windowMs);
      expect(query.searchParams.get('step')).toBe(String(step));
      expect(await page.getByRole('link', { name: label, exact: true }).getAttribute('aria-current')).toBe('true');
      await expect.poll(() => chart(page, 'cpu').getAttribute('aria-label')).toMatch(new RegExp(`^CPU, last ${label}: CPU: [1-9]\\d* points`));
      if (label === '1 h') {
        // An hour at 5 s steps: more than the quarter hour held (the seeded hour is every 10 s).
        await expect.poll(() => pointsOf(chart(page, 'cpu'))).toBeGreaterThan(fifteen * 3);
        await screenshot(page, 'service-1h-1200-light');
      }
      if (label === '7 d') await screenshot(page, 'service-7d-1200-light');
    }
    expect(page.url()).toBe(`${serve.base}/#/service/alpha?range=15m`);
  });

  it('lands on a service from a deep link that carries the token, and keeps the token off the address', async () => {
    const other = await browser.newContext({ viewport: { width: 420, height: 700 } });
    const deep = await other.newPage();
    watch(deep);
    await deep.goto(`${serve.base}/#/service/beta?token=${serve.token}`);
    await expect.poll(() => deep.url()).toBe(`${serve.base}/#/service/beta`);
    expect(await deep.evaluate(() => sessionStorage.getItem('vigil-token'))).toBe(serve.token);
    await deep.getByRole('heading', { name: 'beta', exact: true }).waitFor();
    await expect.poll(() => pointsOf(chart(deep, 'rss')), { timeout: 15_000 }).toBeGreaterThanOrEqual(SEEDED_IN_15_MIN);
    await other.close();
  });

  it('says so when history is paused (the file locked by another program), and when it is written again', async () => {
    await page.goto(`${serve.base}/#/`);
    await page.locator('tr[data-service="alpha"]').waitFor();
    const holder = spawn(NODE, [LOCK_HOLDER, path.join(serve.home, HISTORY_FILE)], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      await lineFrom(holder, 'locked');
      const notice = page.getByTestId('history-status');
      await notice.waitFor({ timeout: 30_000 });
      expect(await notice.textContent()).toMatch(/^history paused: .+/);
      await screenshot(page, 'history-paused-1200-light');
      holder.stdin?.write('release\n');
      await lineFrom(holder, 'released');
      await notice.waitFor({ state: 'detached', timeout: 30_000 });
    } finally {
      holder.stdin?.end();
      await stopChild(holder);
    }
  }, 90_000);

  it('follows the light and dark themes, at the app’s width and the menubar popover’s', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const width of [1200, 420]) {
        await page.setViewportSize({ width, height: 800 });
        await page.goto(`${serve.base}/#/`);
        await expect.poll(() => pointsOf(chart(page, 'cpu')), { timeout: 15_000 }).toBeGreaterThanOrEqual(SEEDED_IN_15_MIN);
        // Nothing wider than the window: the popover must not scroll sideways.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        await screenshot(page, `overview-${width}-${scheme}`);
        await page.goto(`${serve.base}/#/service/alpha`);
        await expect.poll(() => pointsOf(chart(page, 'rss')), { timeout: 15_000 }).toBeGreaterThanOrEqual(SEEDED_IN_15_MIN);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        await screenshot(page, `service-${width}-${scheme}`);
      }
    }
    // The charts' colours come from the stylesheet's variables for the scheme in force.
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--chart-1').trim())).toBe('#6d9cf0');
  }, 120_000);

  it('has no errors and no CSP violations in the page', async () => {
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    expect(problems).toEqual([]);
  });
});

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `charts-${name}.png`), fullPage: true });
}

function lineFrom(child: ChildProcess, line: string, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no "${line}" from the lock holder (got: ${text})`)), timeoutMs);
    const onData = (d: Buffer) => {
      text += d;
      if (text.split('\n').includes(line)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
  });
}
