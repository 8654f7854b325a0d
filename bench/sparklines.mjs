// Sparklines for 20 services (CPU and memory each: 40 lines of 900 points) updating once a
// second: what one tick costs the page's main thread, drawn on a canvas by hand (what the
// dashboard uses), as an SVG path, or as a chart.js chart per cell. In Debian's Chromium,
// headless, measured with the DevTools Performance metrics over many ticks.
//   npm run bench -- sparklines [--services 20] [--ticks 200] [--rounds 3] [--json]
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import pidtree from 'pidtree';
import { cpuSeconds, ROOT } from './lib.mjs';

const CHROMIUM = '/usr/bin/chromium';
/** `text` is the floor: the feed and the value beside each sparkline, no line drawn. */
const KINDS = ['text', 'canvas', 'svg', 'chartjs'];

function option(args, name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

async function bundle() {
  const result = await build({
    bundle: true,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    jsx: 'automatic',
    minify: true,
    write: false,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
    entryPoints: { app: path.join(ROOT, 'bench/charts/sparklines-page.tsx'), styles: path.join(ROOT, 'src/renderer/styles.css') },
    outdir: '/bench-out',
  });
  const file = (ext) => result.outputFiles.find((f) => f.path.endsWith(ext)).text;
  return { js: file('.js'), css: file('.css') };
}

function serve({ js, css }) {
  const html = '<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="app.css"><script defer src="app.js"></script></head><body><div id="root"></div></body></html>';
  const files = { '/': ['text/html', html], '/app.js': ['text/javascript', js], '/app.css': ['text/css', css] };
  const server = http.createServer((req, res) => {
    const [type, body] = files[req.url.split('?')[0]] ?? ['text/plain', 'not found'];
    res.writeHead(files[req.url] ? 200 : 404, { 'content-type': type });
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** CPU seconds of every process this benchmark started (Chromium's browser, renderer, GPU
 * and utility processes): raster and compositing run outside the page's main thread. */
async function chromiumCpu() {
  let total = 0;
  for (const pid of await pidtree(process.pid)) {
    try {
      total += cpuSeconds(pid);
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

async function measure(browser, base, kind, services, ticks) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(`${base}/#kind=${kind}&services=${services}`);
  await page.evaluate(() => window.bench.ready);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const step = () => page.evaluate(() => new Promise((resolve) => {
    window.bench.tick();
    requestAnimationFrame(() => requestAnimationFrame(resolve));
  }));
  for (let i = 0; i < 20; i++) await step();
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const before = await metrics();
  const cpuBefore = await chromiumCpu();
  for (let i = 0; i < ticks; i++) await step();
  const cpuAfter = await chromiumCpu();
  const after = await metrics();
  await page.close();
  const perTick = (name) => ((after[name] - before[name]) * 1000) / ticks;
  return {
    kind,
    cpuMs: ((cpuAfter - cpuBefore) * 1000) / ticks,
    taskMs: perTick('TaskDuration'),
    scriptMs: perTick('ScriptDuration'),
    styleLayoutMs: perTick('RecalcStyleDuration') + perTick('LayoutDuration'),
    heapMB: after.JSHeapUsedSize / 2 ** 20,
    nodes: after.Nodes,
  };
}

export async function main(args) {
  if (!existsSync(CHROMIUM)) {
    console.error(`${CHROMIUM} is missing (apt-get install chromium)`);
    return 1;
  }
  const services = option(args, 'services', 20);
  const ticks = option(args, 'ticks', 200);
  const server = await serve(await bundle());
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const rounds = option(args, 'rounds', 3);
  const runs = Object.fromEntries(KINDS.map((k) => [k, []]));
  try {
    // Rounds take turns between the kinds, so a noisy moment on a shared machine does not
    // land on one kind only; each figure is the median of its rounds.
    for (let r = 0; r < rounds; r++) for (const kind of KINDS) runs[kind].push(await measure(browser, base, kind, services, ticks));
  } finally {
    await browser.close();
    server.close();
  }
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const rows = KINDS.map((kind) => {
    const of = (field) => median(runs[kind].map((m) => m[field]));
    return { kind, cpuMs: of('cpuMs'), taskMs: of('taskMs'), scriptMs: of('scriptMs'), styleLayoutMs: of('styleLayoutMs'), heapMB: of('heapMB'), nodes: of('nodes') };
  });
  console.log(`sparklines: ${services} services x 2 lines of 900 points, ${ticks} ticks, time per tick (median of ${rounds} rounds)`);
  console.log('all CPU: every Chromium process (main thread, raster, GPU); the rest: the page main thread (DevTools Performance metrics)');
  console.log(`${'kind'.padEnd(10)}${'all CPU ms'.padStart(12)}${'task ms'.padStart(10)}${'script ms'.padStart(12)}${'style+layout'.padStart(14)}${'heap MB'.padStart(10)}`);
  for (const r of rows) {
    console.log(`${r.kind.padEnd(10)}${r.cpuMs.toFixed(1).padStart(12)}${r.taskMs.toFixed(2).padStart(10)}${r.scriptMs.toFixed(2).padStart(12)}${r.styleLayoutMs.toFixed(2).padStart(14)}${r.heapMB.toFixed(1).padStart(10)}`);
  }
  if (args.includes('--json')) console.log(JSON.stringify({ services, ticks, rows }));
  return 0;
}
