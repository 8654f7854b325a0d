// 50 realistic series for the store benchmark, synthesised from a recording of this
// machine's /proc (proc-recorder.mjs): a day (or any length) is stitched from randomly
// chosen stretches of the recording, so CPU keeps its real jitter, memory its real drift,
// counters their real bursts. Levels (memory, RSS, counters) follow the recorded changes
// rather than the recorded values, so that stitching leaves no jumps. Seeded: two runs
// with the same options get the same series.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** Mulberry32: small, fast, seeded. */
export function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function loadRecording(file) {
  return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
}

const diff = (xs) => xs.slice(1).map((x, i) => x - xs[i]);
const pct = (a, b) => (b > 0 ? (100 * a) / b : 0);

/** Per-second signals from the recording: gauges as values, levels and counters as steps. */
function signals(rec) {
  const ticks = rec.ticks;
  const seconds = diff(ticks.map((t) => t.t)).map((ms) => ms / 1000);
  const cpuLine = (name) => ticks.map((t) => t.cpu.find((c) => c[0] === name) ?? [name, 0, 0]);
  const cpuPct = (name) => {
    const rows = cpuLine(name);
    return diff(rows.map((r) => r[1])).map((busy, i) => pct(busy, rows[i + 1][2] - rows[i][2]));
  };
  const cores = ticks[0].cpu.map((c) => c[0]).filter((n) => n !== 'cpu');
  // The interface that carried the most traffic (not the loopback).
  const traffic = (n) => ticks.at(-1).net[n][0] - ticks[0].net[n][0] + ticks.at(-1).net[n][2] - ticks[0].net[n][2];
  const net = Object.keys(ticks[0].net).filter((n) => n !== 'lo').sort((a, b) => traffic(b) - traffic(a))[0] ?? 'lo';
  const disk = Object.keys(ticks[0].disk)[0];
  const counter = (get) => diff(ticks.map(get)).map((d) => Math.max(0, d));
  const perSecond = (steps) => steps.map((d, i) => d / seconds[i]);
  const memUsed = ticks.map((t) => t.mem.total - t.mem.available);
  // Each recorded process while it lived (one may have exited during the recording).
  const procs = ticks[0].procs
    .map((_, p) => ticks.map((t) => t.procs[p]).filter(Boolean))
    .filter((alive) => alive.length >= 60)
    .map((alive) => ({
      cpuTicks: diff(alive.map((s) => s[0])).map((d) => Math.max(0, d)),
      rss: diff(alive.map((s) => s[1])),
      rss0: alive[0][1],
      threads: alive.map((s) => s[2]),
    }));
  return {
    seconds,
    jitterMs: ticks.map((t, i) => t.t - ticks[0].t - i * 1000),
    cpu: cpuPct('cpu'),
    cores: cores.map(cpuPct),
    load: [0, 1, 2].map((k) => ticks.map((t) => t.load[k])),
    memTotal: ticks[0].mem.total,
    memUsed0: memUsed[0],
    memSteps: diff(memUsed),
    swapTotal: ticks[0].mem.swapTotal,
    swapUsed: ticks.map((t) => t.mem.swapTotal - t.mem.swapFree),
    fsSize: ticks[0].fs?.[0] ?? 250e9,
    fsUsed0: ticks[0].fs?.[1] ?? 100e9,
    fsSteps: ticks[0].fs ? diff(ticks.map((t) => t.fs[1])) : ticks.slice(1).map(() => 0),
    diskRead: perSecond(counter((t) => t.disk[disk]?.[0] ?? 0)),
    diskWrite: perSecond(counter((t) => t.disk[disk]?.[1] ?? 0)),
    netRxSteps: counter((t) => t.net[net][0]),
    netTxSteps: counter((t) => t.net[net][2]),
    net,
    procs,
    ticksPerSecond: rec.ticksPerSecond ?? 100,
  };
}

/**
 * `ticks` samples of 50 series, one tick every `intervalMs` from `t0`, as two samplers would
 * take them: one for the system's 20 series, one for the services' 30, each stamping its
 * series with its own tick time (late by the recording's real timer lateness, unless
 * `onSchedule`). Returns per series its key, timestamps and values.
 */
export function synthesise(rec, { ticks, intervalMs = 1000, t0 = Date.UTC(2026, 0, 1), seed = 1, onSchedule = false }) {
  const sig = signals(rec);
  const random = seeded(seed);
  const length = sig.seconds.length;
  // Stretches of 30-300 s: long enough to keep each signal's texture, short enough that a
  // day is made of hundreds of them.
  function stitched(source) {
    const out = new Float64Array(ticks);
    let i = 0;
    while (i < ticks) {
      const span = 30 + Math.floor(random() * 270);
      const from = Math.floor(random() * Math.max(1, length - span));
      for (let k = 0; k < span && i < ticks; k++, i++) out[i] = source[(from + k) % source.length];
    }
    return out;
  }
  /** A level that moves by recorded steps, held within [lo, hi] by reflecting the steps. */
  function walk(start, steps, lo, hi) {
    const moves = stitched(steps);
    const out = new Float64Array(ticks);
    let level = start;
    for (let i = 0; i < ticks; i++) {
      if (level + moves[i] < lo || level + moves[i] > hi) moves[i] = -moves[i];
      level += moves[i];
      out[i] = level;
    }
    return out;
  }
  const cumulative = (start, steps) => {
    const s = stitched(steps);
    const out = new Float64Array(ticks);
    let level = start;
    for (let i = 0; i < ticks; i++) {
      level += s[i];
      out[i] = level;
    }
    return out;
  };

  // How late each tick came: the recorder's real timer lateness, in whole ms.
  const tickTimes = (offset) => {
    const lateness = stitched(sig.jitterMs);
    const out = new Float64Array(ticks);
    for (let i = 0; i < ticks; i++) out[i] = t0 + offset + i * intervalMs + (onSchedule ? 0 : Math.min(Math.max(0, lateness[i]), intervalMs / 4));
    return out;
  };
  const systemTimes = tickTimes(0);
  let times = systemTimes;

  const series = [];
  const add = (key, values) => series.push({ key, times, values });
  const memUsed = walk(sig.memUsed0, sig.memSteps, sig.memTotal * 0.1, sig.memTotal * 0.95);
  const fsUsed = walk(sig.fsUsed0, sig.fsSteps, sig.fsSize * 0.05, sig.fsSize * 0.98);
  add('system_cpu_percent', stitched(sig.cpu));
  sig.cores.forEach((core, c) => add(`system_cpu_core_percent{core="${c}"}`, stitched(core)));
  ['system_load1', 'system_load5', 'system_load15'].forEach((name, k) => add(name, stitched(sig.load[k])));
  add('system_memory_used_bytes', memUsed);
  add('system_memory_total_bytes', new Float64Array(ticks).fill(sig.memTotal));
  add('system_memory_percent', memUsed.map((u) => pct(u, sig.memTotal)));
  add('system_swap_used_bytes', stitched(sig.swapUsed));
  add('system_swap_percent', stitched(sig.swapUsed).map((u) => pct(u, sig.swapTotal)));
  add('system_disk_used_bytes{mount="/"}', fsUsed);
  add('system_disk_size_bytes{mount="/"}', new Float64Array(ticks).fill(sig.fsSize));
  add('system_disk_used_percent{mount="/"}', fsUsed.map((u) => pct(u, sig.fsSize)));
  add('system_disk_read_bytes_per_second', stitched(sig.diskRead));
  add('system_disk_write_bytes_per_second', stitched(sig.diskWrite));
  add(`system_network_rx_bytes_per_second{interface="${sig.net}"}`, stitched(sig.netRxSteps));
  add(`system_network_tx_bytes_per_second{interface="${sig.net}"}`, stitched(sig.netTxSteps));
  add(`node_network_receive_bytes_total{device="${sig.net}"}`, cumulative(1e9, sig.netRxSteps));
  add(`node_network_transmit_bytes_total{device="${sig.net}"}`, cumulative(2e8, sig.netTxSteps));
  // Services: six of the recorded processes, five series each, from a second sampler.
  times = tickTimes(Math.floor(intervalMs / 2));
  const intervalS = intervalMs / 1000;
  for (let p = 0; series.length < 50; p++) {
    const proc = sig.procs[p % sig.procs.length];
    const name = `svc${p}`;
    const cpuSteps = stitched(proc.cpuTicks);
    add(`service_cpu_percent{service="${name}"}`, cpuSteps.map((d) => pct(d / sig.ticksPerSecond, intervalS)));
    add(`service_rss_bytes{service="${name}"}`, walk(proc.rss0, proc.rss, proc.rss0 * 0.5, proc.rss0 * 3));
    add(`service_threads{service="${name}"}`, stitched(proc.threads));
    const started = t0 - 3_600_000 * (1 + p);
    add(`service_uptime_seconds{service="${name}"}`, times.map((t) => (t - started) / 1000));
    const cpuSeconds = new Float64Array(ticks);
    let total = 120 + p * 10;
    for (let i = 0; i < ticks; i++) {
      total += cpuSteps[i] / sig.ticksPerSecond;
      cpuSeconds[i] = Math.round(total * 100) / 100;
    }
    add(`process_cpu_seconds_total{service="${name}"}`, cpuSeconds);
  }
  return { times: systemTimes, series: series.slice(0, 50) };
}
