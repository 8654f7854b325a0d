// Helpers shared by the benchmarks: the project's Node 24, free ports, TCP polling, /proc
// readings and percentiles. Plain JS so a benchmark runs without a build step.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Vigil, PM2 and the bare floor all run on the Node 24 the project pins, never the system Node. */
export const NODE = path.join(ROOT, 'node_modules', 'node', 'bin', 'node');
export const DEMO = path.join(ROOT, 'examples', 'demo', 'demo-service.cjs');

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
export const now = () => performance.now();

/** Whether 127.0.0.1:port accepts a TCP connection right now. Loopback answers a refusal at
 * once, so one attempt costs well under a millisecond. */
export function accepts(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      // A connect from the port to itself (TCP simultaneous open) is not a listener.
      const self = socket.localPort === port;
      socket.destroy();
      resolve(!self);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Polls every ~1 ms until the port's state is `open`; resolves with the time it became so,
 * or throws after `timeoutMs`. */
export async function waitPort(port, open, timeoutMs = 15_000) {
  const deadline = now() + timeoutMs;
  for (;;) {
    if ((await accepts(port)) === open) return now();
    if (now() > deadline) throw new Error(`port ${port} did not ${open ? 'open' : 'close'} within ${timeoutMs} ms`);
    await sleep(1);
  }
}

function bindable(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Free ports below the kernel's ephemeral range, so that none of our own polling connects
 * can be handed the port we poll as its local port. */
export async function freePorts(count, from = 15000 + Math.floor(Math.random() * 5000)) {
  const ports = [];
  for (let port = from; ports.length < count && port < 32000; port++) {
    if ((await bindable(port)) && !(await accepts(port))) ports.push(port);
  }
  if (ports.length < count) throw new Error('not enough free ports between 15000 and 32000');
  return ports;
}

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** State letter from /proc/PID/stat ('Z' for a zombie), or null when the pid is gone. */
export function procState(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return null;
  }
}

/** Gone, or a zombie whose main thread has exited (its other threads may hold its sockets a
 * little longer, so wait for the port itself where that matters). */
export const isDead = (pid) => {
  const state = procState(pid);
  return state === null || state === 'Z' || state === 'X';
};

/** CPU time (user + system) of one process in seconds, from /proc/PID/stat. */
export function cpuSeconds(pid, ticksPerSecond = 100) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command name: state(0) ppid ... utime(11) stime(12), in clock ticks (USER_HZ = 100 on Linux).
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** Resident set size in MB, from /proc/PID/status: all of it (VmRSS) and its anonymous part
 * (RssAnon: heap and stacks, private to the process; the rest is mostly the node binary's
 * pages, shared with every other process running the same binary). */
export function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]) / 1024;
  return { rss: mb('VmRSS'), anon: mb('RssAnon') };
}

/** Percentile with linear interpolation between the closest ranks (numpy's default). */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export const round1 = (n) => Math.round(n * 10) / 10;
