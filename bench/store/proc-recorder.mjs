// Records this machine's /proc counters once a second, as the samplers would see them, so the
// store benchmark can synthesise its series from real behaviour (CPU jitter, memory drift,
// traffic counters) instead of made-up noise. `node bench/store/proc-recorder.mjs SECONDS OUT`
// writes gzipped JSON; bench/store/proc-recording.json.gz is one such recording.
//
// The "services" are four demo servers (examples/demo) it starts on loopback and keeps busy
// with bursts of requests at changing rates, as a dev stack is; plus the four long-running
// processes of the machine that were busiest when the recording began.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statfsSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples/demo/demo-service.cjs');

const readOr = (file, fallback = '') => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
};

/** jiffies per CPU line of /proc/stat: [name, busy, total]. */
function cpuJiffies() {
  return readOr('/proc/stat')
    .split('\n')
    .filter((l) => l.startsWith('cpu'))
    .map((l) => {
      const [name, ...f] = l.trim().split(/\s+/);
      const n = f.map(Number);
      const idle = n[3] + (n[4] ?? 0);
      const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
      return [name, total - idle, total];
    });
}

function meminfo() {
  const out = {};
  for (const line of readOr('/proc/meminfo').split('\n')) {
    const m = /^(\w+):\s+(\d+)/.exec(line);
    if (m) out[m[1]] = Number(m[2]) * 1024;
  }
  return { total: out.MemTotal, available: out.MemAvailable, swapTotal: out.SwapTotal, swapFree: out.SwapFree };
}

function netdev() {
  const out = {};
  for (const line of readOr('/proc/net/dev').split('\n').slice(2)) {
    const [name, rest] = line.split(':');
    if (!rest) continue;
    const f = rest.trim().split(/\s+/).map(Number);
    out[name.trim()] = [f[0], f[1], f[8], f[9]]; // rx bytes, rx packets, tx bytes, tx packets
  }
  return out;
}

function diskstats() {
  const out = {};
  for (const line of readOr('/proc/diskstats').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 14 || f[2].startsWith('loop') || f[2].startsWith('ram')) continue;
    out[f[2]] = [Number(f[5]) * 512, Number(f[9]) * 512]; // bytes read, bytes written
  }
  return out;
}

/** Size and used bytes of the root file system. */
function rootFs() {
  const s = statfsSync('/');
  return [s.blocks * s.bsize, (s.blocks - s.bfree) * s.bsize];
}

/** utime+stime ticks, RSS bytes and threads of one process, or null once it is gone. */
function procStat(pid) {
  const stat = readOr(`/proc/${pid}/stat`);
  if (!stat) return null;
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [Number(f[11]) + Number(f[12]), Number(f[21]) * 4096, Number(f[17])];
}

/** Seconds since the process started, from /proc/PID/stat's starttime (clock ticks after boot). */
function ageSeconds(pid) {
  const stat = readOr(`/proc/${pid}/stat`);
  const uptime = Number(readOr('/proc/uptime').split(' ')[0]);
  return uptime - Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]) / 100;
}

/** The long-running user processes (up for 5 minutes or more, RSS > 0: no kernel threads)
 * busiest over the next `ms`: stand-ins for a stack's services. */
async function busiestPids(count, ms = 3000) {
  const sample = () => {
    const out = new Map();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
      const s = procStat(entry);
      if (s && s[1] > 0 && ageSeconds(entry) >= 300) out.set(Number(entry), s[0]);
    }
    return out;
  };
  const before = sample();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = sample();
  return [...after]
    .map(([pid, ticks]) => [pid, ticks - (before.get(pid) ?? ticks)])
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([pid]) => pid);
}

/** Demo servers on loopback ports, and a client that sends each bursts of requests whose rate
 * changes every 10-60 s (0 to ~150 a second). Returns their pids and a stop function. */
async function busyServices(count, firstPort = 24000 + Math.floor(Math.random() * 4000)) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const services = [];
  for (let i = 0; i < count; i++) {
    const port = firstPort + i;
    const child = spawn(process.execPath, [DEMO, '--port', String(port), '--name', `svc${i}`], { stdio: 'ignore' });
    services.push({ child, port, rate: 0 });
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const timers = services.map((svc) => {
    const retune = () => {
      svc.rate = Math.random() < 0.3 ? 0 : Math.floor(Math.random() * 150);
      svc.retune = setTimeout(retune, 10_000 + Math.random() * 50_000);
    };
    retune();
    return setInterval(() => {
      for (let k = 0; k < svc.rate / 10; k++) http.get({ host: '127.0.0.1', port: svc.port, path: `/work/${k}`, agent }, (res) => res.resume()).on('error', () => {});
    }, 100);
  });
  return {
    pids: services.map((s) => s.child.pid),
    stop() {
      for (const t of timers) clearInterval(t);
      for (const svc of services) {
        clearTimeout(svc.retune);
        svc.child.kill('SIGTERM');
      }
      agent.destroy();
    },
  };
}

const seconds = Number(process.argv[2] ?? 600);
const out = process.argv[3] ?? 'proc-recording.json.gz';
const services = await busyServices(4);
const pids = [...services.pids, ...(await busiestPids(4))];
const ticks = [];
const start = Date.now();
for (let i = 0; i < seconds; i++) {
  // Tick on a schedule, as a sampler does: the jitter left is the real timer's.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + i * 1000 - Date.now())));
  const [l1, l5, l15] = readOr('/proc/loadavg').split(' ').map(Number);
  ticks.push({
    t: Date.now(),
    cpu: cpuJiffies(),
    mem: meminfo(),
    net: netdev(),
    disk: diskstats(),
    load: [l1, l5, l15],
    fs: rootFs(),
    procs: pids.map(procStat),
  });
}
services.stop();
writeFileSync(out, gzipSync(JSON.stringify({ recordedAt: new Date(start).toISOString(), ticksPerSecond: 100, pids, ticks })));
console.log(`recorded ${ticks.length} ticks into ${out}`);
