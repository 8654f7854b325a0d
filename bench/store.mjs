// The history store benchmark: what a sample costs on disk, how fast samples go in, how
// fast charts come out, next to a naive one-row-per-sample SQLite table (same WAL mode) and
// gzip of the same samples as text. Everything on this machine, in one run.
//
//   npm run bench -- store [--json] [--hours 24] [--interval-ms 1000] [--queries 50]
//                          [--recording FILE] [--sweep] [--on-schedule]
//   (VIGIL_BENCH_KEEP=1 keeps the files)
//
// The 50 series are synthesised from a recording of this machine's /proc (see
// store/series-synth.mjs; store/proc-recorder.mjs makes a new one). Sections run in order
// and each adds rows, JSON keys and targets: the storage section is here; the engine's
// cost of sampling and writing is meant to be appended to SECTIONS as a second one.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { gzipSync } from 'node:zlib';
import { BitOutputStream } from '@thi.ng/bitstream';
import { now, percentile, ROOT } from './lib.mjs';
import { loadRecording, synthesise } from './store/series-synth.mjs';

const STORE = path.join(ROOT, 'src', 'core', 'metrics', 'store');
const { MetricStore, DEFAULT_CHUNK_SIZES } = await import(path.join(STORE, 'metric-store.ts'));
const { encodeChunk } = await import(path.join(STORE, 'chunk-codec.ts'));
const { writeXorColumn } = await import(path.join(STORE, 'xor-column.ts'));
const { decimalsFor, quantizer } = await import(path.join(STORE, 'series-precision.ts'));

const TARGETS = { bytesPerSample: 2, ingestPerS: 500_000, query24hMs: 10 };
const COMMIT_EVERY_MS = 5000;
const STEADY_COMMITS = 60;
const HOUR = 3_600_000;
const log = (line) => process.stderr.write(`${line}\n`);
const fileSize = (file) => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

/** Runs the TRUNCATE checkpoint from a connection of our own: the WAL folded into the file. */
function checkpoint(file) {
  const db = new DatabaseSync(file);
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  const { page_size: pageSize } = db.prepare('PRAGMA page_size').get();
  const { freelist_count: free } = db.prepare('PRAGMA freelist_count').get();
  db.close();
  return { bytes: fileSize(file), walBytes: fileSize(`${file}-wal`), pageSize, freePages: free };
}

/** Appends tick by tick (every series at each tick, as a sampler does), committing every 5 s
 * of wall time as the engine does, or after 500,000 samples (the store holds at most 5 million
 * uncommitted); the time it all took, the final commit included. */
function ingest(data, ticks, append, commit) {
  const { series } = data;
  const start = now();
  let lastCommit = start;
  let sinceCommit = 0;
  for (let i = 0; i < ticks; i++) {
    for (let s = 0; s < series.length; s++) append(s, series[s].times[i], series[s].values[i]);
    sinceCommit += series.length;
    if ((i & 63) === 0 && (sinceCommit >= 500_000 || now() - lastCommit >= COMMIT_EVERY_MS)) {
      commit();
      lastCommit = now();
      sinceCommit = 0;
    }
  }
  commit();
  return now() - start;
}

/** p50 of `rounds` timings of `fn`, after two warm-up calls; `cold` is the first of those
 * (nothing decoded and cached yet). */
function timeIt(rounds, fn) {
  const t0 = now();
  fn();
  const cold = now() - t0;
  fn();
  const ms = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = now();
    fn();
    ms.push(now() - t0);
  }
  return { cold, p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

// ---- the Vigil store ----

let runs = 0;

function runStore(dir, data, ticks, opts, extra = {}) {
  const file = path.join(dir, `store-${++runs}.db`);
  let clock = data.times[0];
  const store = MetricStore.open(file, { now: () => clock, commitEveryMs: 0, ...extra });
  const keys = data.series.map((s) => s.key);
  const ingestMs = ingest(
    data,
    ticks,
    (s, t, v) => {
      clock = t;
      store.append(keys[s], t, v);
    },
    () => {
      if (!store.commit()) throw new Error(`commit failed: ${store.status().reason}`);
    },
  );
  if (store.dropped.rejected + store.dropped.overCap > 0) throw new Error(`the store dropped samples: ${JSON.stringify(store.dropped)}`);
  const disk = checkpoint(file);

  // Steady state: 60 commits of 5 s of samples each (5 minutes, one head checkpoint cycle),
  // as the engine makes them. After each, a checkpoint from a second connection says how many
  // page frames that commit wrote (what a commit really costs the disk) and empties the WAL.
  const commits = [];
  const frames = [];
  const observer = new DatabaseSync(file);
  observer.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  const perCommit = Math.max(1, Math.round(COMMIT_EVERY_MS / opts.intervalMs));
  let tick = ticks;
  for (let c = 0; c < STEADY_COMMITS; c++) {
    for (let k = 0; k < perCommit; k++, tick++) {
      for (let s = 0; s < keys.length; s++) {
        clock = data.series[s].times[tick];
        store.append(keys[s], clock, data.series[s].values[tick]);
      }
    }
    const t0 = now();
    store.commit();
    commits.push(now() - t0);
    frames.push(observer.prepare('PRAGMA wal_checkpoint(PASSIVE)').get().log);
    observer.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  }
  observer.close();
  const walPerCommit = (frames.reduce((a, b) => a + b, 0) / frames.length) * (disk.pageSize + 24);
  const samplesPerCommit = keys.length * perCommit;

  const end = data.times[ticks - 1];
  const ten = keys.slice(0, 10);
  let check24h = 0;
  let check1h = 0;
  const q24h = timeIt(opts.queries, () => {
    check24h = 0;
    for (const series of ten) check24h += store.query({ series, from: end - 24 * HOUR, to: end, step: 60_000 }).points.length;
  });
  const q1h = timeIt(opts.queries, () => {
    check1h = 0;
    for (const series of ten) check1h += store.query({ series, from: end - HOUR, to: end, step: opts.intervalMs }).points.length;
  });
  const tiers = [store.query({ series: ten[0], from: end - 24 * HOUR, to: end, step: 60_000 }).tier, store.query({ series: ten[0], from: end - HOUR, to: end, step: opts.intervalMs }).tier];
  // The answer must be the data: the last hour of the first series, exactly as rounded.
  const round = quantizer(decimalsFor(keys[0]));
  const firstHour = store.query({ series: keys[0], from: end - HOUR, to: end, step: opts.intervalMs }).points;
  const startIndex = ticks - firstHour.length;
  firstHour.forEach(([t, v], i) => {
    if (t !== data.series[0].times[startIndex + i] || v !== round(data.series[0].values[startIndex + i])) throw new Error(`query answer differs from the data at ${i}`);
  });
  store.close();
  return {
    file,
    ingestMs,
    bytes: disk.bytes,
    freePages: disk.freePages,
    pageSize: disk.pageSize,
    walPerCommit,
    samplesPerCommit,
    commitP50: percentile(commits, 50),
    commitMax: Math.max(...commits),
    framesP50: percentile(frames, 50),
    framesMax: Math.max(...frames),
    q24h,
    q1h,
    check24h,
    check1h,
    tiers,
  };
}

// ---- the references ----

function runNaive(dir, data, ticks, opts) {
  const file = path.join(dir, 'naive.db');
  const db = new DatabaseSync(file);
  db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
    CREATE TABLE samples (series INTEGER NOT NULL, t INTEGER NOT NULL, value REAL NOT NULL, PRIMARY KEY (series, t)) WITHOUT ROWID;`);
  const insert = db.prepare('INSERT INTO samples (series, t, value) VALUES (?, ?, ?)');
  const rounders = data.series.map((s) => quantizer(decimalsFor(s.key)));
  db.exec('BEGIN');
  const ingestMs = ingest(
    data,
    ticks,
    (s, t, v) => insert.run(s, t, rounders[s](v)),
    () => db.exec('COMMIT; BEGIN'),
  );
  db.exec('COMMIT');
  const end = data.times[ticks - 1];
  const perMinute = db.prepare(
    'SELECT t / 60000 * 60000 AS minute, avg(value), min(value), max(value) FROM samples WHERE series = ? AND t > ? AND t <= ? GROUP BY minute ORDER BY minute',
  );
  const raw = db.prepare('SELECT t, value FROM samples WHERE series = ? AND t > ? AND t <= ? ORDER BY t');
  const rounds = Math.max(3, Math.floor(opts.queries / 5)); // it is slow
  const q24h = timeIt(rounds, () => {
    for (let s = 0; s < 10; s++) perMinute.all(s, end - 24 * HOUR, end);
  });
  const q1h = timeIt(opts.queries, () => {
    for (let s = 0; s < 10; s++) raw.all(s, end - HOUR, end);
  });
  db.close();
  return { ingestMs, bytes: checkpoint(file).bytes, q24h, q1h };
}

/** The samples as CSV text (series number, ms, value as kept), gzipped at the default level. */
function runGzip(data, ticks) {
  const rounders = data.series.map((s) => quantizer(decimalsFor(s.key)));
  const parts = [];
  let text = '';
  for (let i = 0; i < ticks; i++) {
    for (let s = 0; s < data.series.length; s++) text += `${s},${data.series[s].times[i]},${rounders[s](data.series[s].values[i])}\n`;
    if (text.length > 1 << 20) {
      parts.push(text);
      text = '';
    }
  }
  parts.push(text);
  const raw = Buffer.from(parts.join(''));
  const t0 = now();
  const bytes = gzipSync(raw).length;
  return { bytes, textBytes: raw.length, ms: now() - t0 };
}

/** Value coding alone, chunk by chunk (the store's raw chunk size), without SQLite: its integer
 * coding of the kept values, Gorilla's XOR of the same values, and XOR of the unrounded
 * doubles. The time column is coded the same way in all three. */
function compareEncodings(data, ticks, size = DEFAULT_CHUNK_SIZES.raw) {
  const classes = new Map();
  const xorBytes = (values) => {
    const out = new BitOutputStream(values.length * 9 + 16);
    writeXorColumn(out, values, values.length);
    return out.bytes().length;
  };
  for (const s of data.series) {
    const round = quantizer(decimalsFor(s.key));
    const unit = /_percent\b/.test(s.key) ? 'percent' : /_total\b/.test(s.key) ? 'counters' : /_bytes\b/.test(s.key) ? 'bytes' : /_per_second/.test(s.key) ? 'rates' : 'other';
    const row = classes.get(unit) ?? { samples: 0, fixed: 0, xor: 0, xorUnrounded: 0, time: 0 };
    for (let from = 0; from + size <= ticks; from += size) {
      const times = s.times.subarray(from, from + size);
      const kept = s.values.subarray(from, from + size).map(round);
      const time = encodeChunk([times], size).length;
      row.time += time;
      row.fixed += encodeChunk([times, kept], size).length - time;
      row.xor += xorBytes(kept);
      row.xorUnrounded += xorBytes(s.values.subarray(from, from + size));
      row.samples += size;
    }
    classes.set(unit, row);
  }
  return classes;
}

// ---- the storage section ----

const storage = {
  name: 'storage',
  async run(opts, dir) {
    const recording = loadRecording(opts.recording);
    const ticks = Math.round((opts.hours * HOUR) / opts.intervalMs);
    const extra = Math.round((STEADY_COMMITS * COMMIT_EVERY_MS) / opts.intervalMs) + 10;
    log(`synthesising ${ticks + extra} ticks of 50 series from ${recording.ticks.length} s of /proc (${path.relative(ROOT, opts.recording)})`);
    const data = synthesise(recording, { ticks: ticks + extra, intervalMs: opts.intervalMs, seed: 1, onSchedule: opts.onSchedule });
    const samples = ticks * data.series.length;

    log(`Vigil store: ${samples.toLocaleString('en')} samples`);
    const vigil = runStore(dir, data, ticks, opts);
    log('naive SQLite table');
    const naive = runNaive(dir, data, ticks, opts);
    log('gzip of the samples as CSV');
    const gzip = runGzip(data, ticks);
    log('value encodings, chunk by chunk');
    const encodings = compareEncodings(data, ticks);
    // The other way to persist the open chunks: rewrite every head row at every commit.
    log('the same commits, rewriting the head rows each time (a quarter of the data)');
    const rewrite = runStore(dir, data, Math.floor(ticks / 4), opts, { checkpointEvery: 1 });
    const sweep = [];
    if (opts.sweep) {
      // A quarter of the data per chunk size: enough to show the trend.
      const part = Math.floor(ticks / 4);
      for (const raw of [60, 120, 240, 480, 960]) {
        log(`chunk size ${raw}`);
        const r = runStore(dir, data, part, opts, { chunkSizes: { raw, minute: 60, hour: 60 } });
        sweep.push({ raw, bytesPerSample: r.bytes / (part * data.series.length), walPerCommit: r.walPerCommit, commitP50: r.commitP50, q1h: r.q1h.p50 });
      }
    }

    const perSample = (bytes) => bytes / samples;
    const result = {
      bytes_per_sample: perSample(vigil.bytes),
      naive_bytes_per_sample: perSample(naive.bytes),
      gzip_bytes_per_sample: perSample(gzip.bytes),
      ingest_per_s: samples / (vigil.ingestMs / 1000),
      query_24h_p50_ms: vigil.q24h.p50,
      query_1h_raw_p50_ms: vigil.q1h.p50,
    };
    const n = (x, digits = 2) => (Number.isFinite(x) ? x.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');
    const rows = [
      ['', 'Vigil store', 'naive SQLite', 'gzip CSV'],
      ['bytes per sample on disk', n(result.bytes_per_sample, 3), n(result.naive_bytes_per_sample), n(result.gzip_bytes_per_sample, 3)],
      ['file size (MB)', n(vigil.bytes / 1e6), n(naive.bytes / 1e6), n(gzip.bytes / 1e6)],
      ['ingest (samples/s)', n(result.ingest_per_s, 0), n(samples / (naive.ingestMs / 1000), 0), '-'],
      ['query 24 h @ 1 min, 10 series, first (ms)', n(vigil.q24h.cold), n(naive.q24h.cold), '-'],
      ['query 24 h @ 1 min, 10 series, p50 (ms)', n(vigil.q24h.p50), n(naive.q24h.p50), '-'],
      ['query 24 h @ 1 min, 10 series, p95 (ms)', n(vigil.q24h.p95), n(naive.q24h.p95), '-'],
      ['query 1 h raw, 10 series, first (ms)', n(vigil.q1h.cold), n(naive.q1h.cold), '-'],
      ['query 1 h raw, 10 series, p50 (ms)', n(vigil.q1h.p50), n(naive.q1h.p50), '-'],
      ['query 1 h raw, 10 series, p95 (ms)', n(vigil.q1h.p95), n(naive.q1h.p95), '-'],
    ];
    const width = Math.max(...rows.map((r) => r[0].length));
    const lines = [
      `Store benchmark: ${data.series.length} series x ${ticks.toLocaleString('en')} ticks (${opts.hours} h at ${opts.intervalMs} ms${opts.onSchedule ? ', on schedule' : ', with the recorded timer jitter'}) = ${samples.toLocaleString('en')} samples`,
      `  synthesised from ${recording.ticks.length} s of this machine's /proc recorded ${recording.recordedAt}; Node ${process.version}, ${os.cpus().length} CPUs, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
      `  commits every ${COMMIT_EVERY_MS / 1000} s of wall time during ingest; sizes after a WAL checkpoint (page size ${vigil.pageSize}, ${vigil.freePages} free pages in the store's file)`,
      `  naive: one row per sample, (series, t) primary key WITHOUT ROWID, WAL, values rounded as the store keeps them; gzip: "series,ms,value" lines (${n(gzip.textBytes / samples, 1)} bytes a sample as text)`,
      `  queries: each series' points (24 h: tier ${vigil.tiers[0]}, ${vigil.check24h} points; 1 h: tier ${vigil.tiers[1]}, ${vigil.check1h} points), ${opts.queries} rounds after 2 warm-ups;`,
      '    "first" is the first round, before the store has decoded (and cached) any stored chunk',
      '',
      ...rows.map(([label, ...cells]) => `  ${label.padEnd(width)}  ${cells.map((c) => c.padStart(13)).join('  ')}`),
      '',
      `value coding alone, bytes per sample (chunks of ${DEFAULT_CHUNK_SIZES.raw}; "time": one series' own time column, before the store shares it among the series of a tick)`,
      `  ${'series'.padEnd(10)}  ${'samples'.padStart(11)}  ${'time'.padStart(6)}  ${'Vigil'.padStart(6)}  ${'XOR'.padStart(6)}  ${'XOR of unrounded'.padStart(17)}`,
      ...[...encodings].map(
        ([unit, r]) =>
          `  ${unit.padEnd(10)}  ${r.samples.toLocaleString('en').padStart(11)}  ${n(r.time / r.samples, 3).padStart(6)}  ${n(r.fixed / r.samples, 3).padStart(6)}  ${n(r.xor / r.samples, 3).padStart(6)}  ${n(r.xorUnrounded / r.samples, 3).padStart(17)}`,
      ),
      '',
      `${STEADY_COMMITS} commits in steady state (${vigil.samplesPerCommit} new samples each, 5 s of data): p50 ${n(vigil.commitP50)} ms, max ${n(vigil.commitMax)} ms;`,
      `  WAL written per commit: ${n(vigil.walPerCommit / 1024, 1)} KiB on average (p50 ${vigil.framesP50} pages, max ${vigil.framesMax}: the head checkpoint), ${n(vigil.walPerCommit / (vigil.samplesPerCommit * result.bytes_per_sample), 0)}x the ${n(vigil.samplesPerCommit * result.bytes_per_sample, 0)} bytes those samples end up as`,
      '  (whole 4 KiB pages: the commit log row, chunks closing, and every 60th commit the head rows)',
      `  rewriting every head row at every commit instead: ${n(rewrite.walPerCommit / 1024, 1)} KiB per commit (p50 ${rewrite.framesP50} pages), commit p50 ${n(rewrite.commitP50)} ms`,
    ];
    if (sweep.length > 0) {
      lines.push('', `raw chunk size (a quarter of the data; minute and hour chunks 60):`);
      lines.push(`  ${'samples'.padStart(8)}  ${'bytes/sample'.padStart(12)}  ${'WAL KiB/commit'.padStart(14)}  ${'commit p50 ms'.padStart(13)}  ${'1 h raw query p50 ms'.padStart(20)}`);
      for (const r of sweep) lines.push(`  ${String(r.raw).padStart(8)}  ${n(r.bytesPerSample, 3).padStart(12)}  ${n(r.walPerCommit / 1024, 1).padStart(14)}  ${n(r.commitP50).padStart(13)}  ${n(r.q1h).padStart(20)}`);
    }
    const checks = [
      [`bytes per sample <= ${TARGETS.bytesPerSample}`, result.bytes_per_sample, TARGETS.bytesPerSample, 'max'],
      [`ingest >= ${TARGETS.ingestPerS.toLocaleString('en')} samples/s`, result.ingest_per_s, TARGETS.ingestPerS, 'min'],
      [`query 24 h @ 1 min x 10 series p50 <= ${TARGETS.query24hMs} ms`, result.query_24h_p50_ms, TARGETS.query24hMs, 'max'],
      ['samples >= 1,000,000 over 50 series', samples, 1_000_000, 'min'],
    ].map(([what, value, limit, kind]) => ({ what, value, limit, pass: kind === 'max' ? value <= limit : value >= limit }));
    const round = (x, d) => Math.round(x * 10 ** d) / 10 ** d;
    return {
      lines,
      checks,
      json: {
        bytes_per_sample: round(result.bytes_per_sample, 3),
        naive_bytes_per_sample: round(result.naive_bytes_per_sample, 3),
        gzip_bytes_per_sample: round(result.gzip_bytes_per_sample, 3),
        ingest_per_s: Math.round(result.ingest_per_s),
        query_24h_p50_ms: round(result.query_24h_p50_ms, 2),
        query_1h_raw_p50_ms: round(result.query_1h_raw_p50_ms, 2),
        query_24h_first_ms: round(vigil.q24h.cold, 2),
        query_1h_raw_first_ms: round(vigil.q1h.cold, 2),
        samples,
        commit_p50_ms: round(vigil.commitP50, 2),
        wal_bytes_per_commit: Math.round(vigil.walPerCommit),
        rewrite_wal_bytes_per_commit: Math.round(rewrite.walPerCommit),
      },
    };
  },
};

/** The sections, in order. The engine-cost half of this benchmark goes after `storage`. */
const SECTIONS = [storage];

function parseArgs(args) {
  const opts = { json: false, hours: 24, intervalMs: 1000, queries: 50, sweep: false, onSchedule: false, recording: path.join(ROOT, 'bench', 'store', 'proc-recording.json.gz') };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const number = () => {
      const n = Number(args[++i]);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${arg} needs a positive number, got "${args[i] ?? ''}"`);
      return n;
    };
    if (arg === '--json') opts.json = true;
    else if (arg === '--hours') opts.hours = number();
    else if (arg === '--interval-ms') opts.intervalMs = Math.round(number());
    else if (arg === '--queries') opts.queries = Math.round(number());
    else if (arg === '--sweep') opts.sweep = true;
    else if (arg === '--on-schedule') opts.onSchedule = true;
    else if (arg === '--recording') opts.recording = path.resolve(args[++i] ?? '');
    else throw new Error(`unknown option "${arg}" (options: --json --hours N --interval-ms N --queries N --recording FILE --sweep --on-schedule)`);
  }
  return opts;
}

export async function main(args) {
  let opts;
  try {
    opts = parseArgs(args);
  } catch (err) {
    log(err.message);
    return 2;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vigil-bench-store-'));
  try {
    const json = {};
    const checks = [];
    for (const section of SECTIONS) {
      const r = await section.run(opts, dir);
      console.log(r.lines.join('\n'));
      Object.assign(json, r.json);
      checks.push(...r.checks);
    }
    console.log('\ntargets');
    for (const c of checks) console.log(`  ${c.pass ? 'PASS' : 'FAIL'}  ${c.what.padEnd(44)} ${Number(c.value.toFixed(3)).toLocaleString('en')} vs ${c.limit.toLocaleString('en')}`);
    if (opts.json) console.log(JSON.stringify({ ...json, pass: checks.every((c) => c.pass) }));
    return 0;
  } catch (err) {
    log(`store bench failed: ${err.stack ?? err}`);
    return 1;
  } finally {
    if (process.env.VIGIL_BENCH_KEEP) log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
