#!/usr/bin/env node
// `npm run bench -- NAME [options]`: runs one benchmark. Benchmarks print tables; with --json
// the last line of stdout is one JSON object for scripts. Never part of `npm test`.
const BENCHES = {
  'alerts-flow': { file: './alerts-flow.mjs', about: 'cost of one alert flow step (lifecycle, silences, inhibit, dispatch) with 500 alert keys; the issue\'s storm counted' },
  restart: { file: './restart.mjs', about: 'restart latency, hang-to-restart and idle cost, against PM2 and a bare spawn' },
  scrape: { file: './scrape.mjs', about: 'GET /metrics: first-scrape load, CPU and size of a scrape with N services, per-tick cost, idle cost of the engine process metrics' },
  samplers: { file: './samplers.mjs', about: 'CPU time of one metrics tick (machine, 50 services, each tree method) and the sampler running at 1 s' },
  sparklines: { file: './sparklines.mjs', about: 'main-thread cost of a tick for 20 services x 2 sparklines in Chromium: canvas, SVG, chart.js' },
  store: { file: './store.mjs', about: 'metrics history: bytes per sample, ingest rate, query time, against naive SQLite and gzip' },
};

const [name, ...args] = process.argv.slice(2);
const bench = BENCHES[name];
if (!bench) {
  console.error(`usage: npm run bench -- NAME [--json] [options]\n\nbenchmarks:`);
  for (const [key, { about }] of Object.entries(BENCHES)) console.error(`  ${key.padEnd(10)} ${about}`);
  process.exit(2);
}
const { main } = await import(bench.file);
process.exitCode = await main(args);
