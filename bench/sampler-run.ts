// The sampler alone in a fresh process, as the engine runs it: real timer, 1 s ticks, default
// sources, for --seconds; the services are the pids given. Prints one JSON line with the
// process's CPU share and RSS at the end. Started by sampler-cost.ts.
import { performance } from 'node:perf_hooks';
import { MetricsSampler } from '../src/core/metrics/samplers/metrics-sampler.ts';

const args = process.argv.slice(2);
const value = (name: string) => args[args.indexOf(`--${name}`) + 1] ?? '';
const seconds = Number(value('seconds') || 20);
const pids = value('pids').split(',').filter(Boolean).map(Number);

let ticks = 0;
const sampler = new MetricsSampler({ onSample: () => {}, onTick: () => ticks++ });
sampler.setServices(pids.map((pid, i) => ({ name: `svc-${i}`, pid, adopted: false })));
sampler.setActive(true);
// Keeps the process alive: the sampler's own timers are unref'd, as the engine's are.
const keepAlive = setInterval(() => {}, 1 << 30);
// The first seconds load modules and find trees; the budget is about the steady state.
sampler.start();
await new Promise((resolve) => setTimeout(resolve, 3000));
const ticksBefore = ticks;
const start = process.cpuUsage();
const startWall = performance.now();
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const used = process.cpuUsage(start);
sampler.stop();
clearInterval(keepAlive);
console.log(
  JSON.stringify({
    cpuPercent: Math.round((((used.user + used.system) / 1000) / (performance.now() - startWall)) * 100 * 1000) / 1000,
    rssMb: Math.round(process.memoryUsage.rss() / 1024 / 1024),
    ticks: ticks - ticksBefore,
  }),
);
