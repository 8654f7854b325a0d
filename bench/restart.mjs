// The restart benchmark: how fast Vigil brings a crashed or hung service back, and what it
// costs at idle, next to PM2 and next to the floor (a bare spawn of the same server).
// Everything runs on this machine, on 127.0.0.1, on the same Node 24, in one run.
//
//   npm run bench -- restart [--json] [--idle-seconds 60] [--crashes 20] [--hangs 3] [--no-build]
//   (VIGIL_BENCH_IDLE_SECONDS=10 shortens the idle window too; VIGIL_BENCH_KEEP=1 keeps the logs)
//
// Vigil and PM2 run side by side, and the three restart measurements take turns (Vigil, PM2,
// floor, in a rotating order), never overlapping: whatever else loads the machine meanwhile
// hits all three alike instead of skewing whichever phase it happens to fall in.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  cpuSeconds, DEMO, freePorts, isDead, NODE, now, percentile, ROOT, round1, rssMb, sleep, waitPort,
} from './lib.mjs';

const VIGIL_BIN = path.join(ROOT, 'bin', 'vigil.mjs');
const PM2_DIR = path.join(ROOT, 'node_modules', 'pm2');
/** PM2 counts a restart as unstable below min_uptime (500 ms here) and gives up after too
 * many; Vigil's reset_after is 500 ms too. Kills of one service are spaced well above both. */
const SPACING_MS = 1200;
const TARGETS = { overFloorMs: 20, ofPm2: 0.7 };

const log = (line) => process.stderr.write(`${line}\n`);

// ---- cleanup: every process and temp dir we create is registered, undone in reverse ----

const cleanups = [];
/** Registers an undo step; the returned function runs it now (once) instead of at the end. */
function defer(fn) {
  let done = false;
  const step = async () => {
    if (done) return;
    done = true;
    cleanups.splice(cleanups.indexOf(step), 1);
    await fn();
  };
  cleanups.push(step);
  return step;
}
let cleaning = null;
/** Single-flight: Ctrl-C and the normal way out may both ask for it. */
function cleanUp() {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      try {
        await cleanups.at(-1)();
      } catch (err) {
        log(`cleanup: ${err.message}`);
      }
    }
    cleaning = null;
  })();
  return cleaning;
}
const killHard = (pid) => {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {}
};
/** SIGKILL for a leftover of ours; the command line check keeps a recycled pid safe. */
function killLeftover(pid, marker) {
  if (!pid || isDead(pid)) return;
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {}
  if (cmdline.includes(marker)) {
    log(`cleanup: pid ${pid} (${cmdline.slice(0, 80)}) was left running: killed`);
    killHard(pid);
  }
}
function tempDir(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  defer(() => (process.env.VIGIL_BENCH_KEEP ? log(`kept ${dir}`) : rmSync(dir, { recursive: true, force: true })));
  return dir;
}

/** Polls `check` until it answers something truthy, and returns that. */
async function until(what, check, timeoutMs, stepMs = 1) {
  const deadline = now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(stepMs);
  }
}

// ---- the contestants: each measures one restart and returns its latency in ms ----

/**
 * A supervised service: SIGKILL it, time until its port accepts again. `newPid(old)` answers
 * the supervisor's pid for the service once it is up on a pid other than `old`, else null.
 */
async function supervised(name, port, newPid) {
  let pid = await until(`${name}: the service's pid`, () => newPid(null), 30_000, 50);
  return {
    name,
    async measure() {
      const t0 = now();
      process.kill(pid, 'SIGKILL');
      // Node's other threads keep the listening socket open a moment after the main thread
      // dies: only once the port has refused a connection is the reopening the new process.
      await waitPort(port, false, 5000);
      const t1 = await waitPort(port, true);
      // The next kill must hit the new process, so wait until the supervisor names it.
      pid = await until(`${name}: a new pid after killing ${pid}`, () => newPid(pid), 30_000, 20);
      return t1 - t0;
    },
  };
}

/** The floor: spawn the same server ourselves, time until its port accepts. It also times
 * how long a SIGKILLed server takes to let go of its port (`teardowns`): a restart includes
 * that too, so no supervisor can beat floor + teardown. */
async function floor() {
  const [port] = await freePorts(1);
  const teardowns = [];
  return {
    name: 'floor',
    teardowns,
    async measure() {
      const t0 = now();
      const child = spawn(NODE, [DEMO, '--port', String(port), '--name', 'floor'], { stdio: 'ignore' });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const stop = defer(async () => {
        child.kill('SIGKILL');
        await exited;
      });
      const t1 = await waitPort(port, true);
      await sleep(50); // let it finish starting up, as a supervised service would have
      const t2 = now();
      child.kill('SIGKILL');
      teardowns.push((await waitPort(port, false)) - t2);
      await stop();
      return t1 - t0;
    },
  };
}

/** One unmeasured warm-up, then `count` measured rounds. Each round runs every contestant
 * once, in an order rotated per round; one contestant's kills are SPACING_MS apart at least. */
async function rounds(contestants, count) {
  const samples = Object.fromEntries(contestants.map((c) => [c.name, []]));
  const lastStart = new Map();
  for (let round = 0; round <= count; round++) {
    for (let k = 0; k < contestants.length; k++) {
      const c = contestants[(round + k) % contestants.length];
      if (lastStart.has(c)) await sleep(lastStart.get(c) + SPACING_MS - now());
      lastStart.set(c, now());
      const ms = await c.measure();
      if (round > 0) samples[c.name].push(ms);
    }
  }
  for (const [name, list] of Object.entries(samples)) log(`  ${name}: ${list.map((s) => s.toFixed(0)).join(' ')} ms`);
  return samples;
}

/** CPU (% of one core) and memory of one process, sampled every second for `seconds`. */
async function idleCost(pid, seconds) {
  const cpu0 = cpuSeconds(pid);
  const t0 = now();
  let { rss: rssMaxMb, anon: anonMaxMb } = rssMb(pid);
  for (let s = 0; s < seconds; s++) {
    await sleep(1000);
    const { rss, anon } = rssMb(pid);
    rssMaxMb = Math.max(rssMaxMb, rss);
    anonMaxMb = Math.max(anonMaxMb, anon);
  }
  const cpuPct = ((cpuSeconds(pid) - cpu0) / ((now() - t0) / 1000)) * 100;
  return { cpuPct, rssMaxMb, anonMaxMb, rssEndMb: rssMb(pid).rss };
}

const summary = (samples) => ({ p50: percentile(samples, 50), p95: percentile(samples, 95), samples });

// ---- Vigil ----

function vigilApi(port, token) {
  return (urlPath) =>
    new Promise((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers: { authorization: `Bearer ${token}` } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`GET ${urlPath}: ${res.statusCode} ${body}`))));
      });
      req.on('error', reject);
      req.setTimeout(5000, () => req.destroy(new Error(`GET ${urlPath}: no answer in 5 s`)));
    });
}

/** `vigil serve` on a stack of two demo servers: "crash" gets the fair settings for 1.2 s
 * spacing (no backoff, no crash-loop), "hang" keeps every default. */
async function startVigil() {
  const home = tempDir('vigil-bench-');
  // The stack file lives apart from VIGIL_HOME, as in real use: Vigil watches the stack file's
  // folder, and its own writes (processes.json at every start) would wake that watcher.
  const project = tempDir('vigil-bench-stack-');
  const [apiPort, crashPort, hangPort] = await freePorts(3);
  const service = (name, port) =>
    `  - name: ${name}\n    command: [${JSON.stringify(NODE)}, ${JSON.stringify(DEMO)}, "--port", "${port}", "--name", "${name}"]\n    port: ${port}\n    health:\n      path: /health\n`;
  const stack = path.join(project, 'vigil.yml');
  writeFileSync(
    stack,
    `services:\n${service('crash', crashPort)}    restart:\n      reset_after: 500ms\n    crash_loop:\n      failures: 1000\n${service('hang', hangPort)}`,
  );
  const out = openSync(path.join(home, 'serve.log'), 'w');
  const serve = spawn(NODE, [VIGIL_BIN, 'serve', '-c', stack, '--port', String(apiPort)], {
    env: { ...process.env, VIGIL_HOME: home },
    stdio: ['ignore', out, out],
    detached: true, // a Ctrl-C in the terminal reaches only us; we send the one SIGINT that stops it
  });
  closeSync(out); // the child has its own copy
  const serveExited = new Promise((resolve) => serve.once('exit', resolve));
  let lastState = null;
  const stop = defer(async () => {
    // SIGINT is how a user stops `vigil serve`: it stops every service on its way out.
    if (serve.exitCode === null && serve.signalCode === null) serve.kill('SIGINT');
    if (!(await Promise.race([serveExited.then(() => true), sleep(15_000)]))) {
      log('vigil serve did not stop within 15 s of SIGINT: killing it');
      killHard(serve.pid);
    }
    for (const s of lastState?.services ?? []) killLeftover(s.pid, DEMO);
  });
  const failed = (why) => new Error(`${why}; vigil serve said:\n${readFileSync(path.join(home, 'serve.log'), 'utf8').split('\n').slice(-8).join('\n')}`);

  const engineFile = path.join(home, 'engine.json');
  await until('vigil serve to write engine.json', () => existsSync(engineFile) || serve.exitCode !== null, 30_000, 50);
  if (serve.exitCode !== null) throw failed('vigil serve exited at start');
  // The engine is the process that wrote engine.json (bin/vigil.mjs re-execs under an old Node).
  const enginePid = JSON.parse(readFileSync(engineFile, 'utf8')).pid;
  const api = vigilApi(apiPort, readFileSync(path.join(home, 'token'), 'utf8').trim());
  const state = async () => (lastState = await api('/api/state'));
  const runningPid = (name) => async (old) => {
    const s = (await state()).services.find((x) => x.name === name);
    return s?.state === 'running' && s.pid && s.pid !== old ? s.pid : null;
  };
  await until('both services to run', async () => (await state()).services.every((s) => s.state === 'running'), 30_000, 100).catch((err) => {
    throw failed(err.message);
  });
  return { enginePid, crash: await supervised('vigil', crashPort, runningPid('crash')), hangPort, hangPid: runningPid('hang'), stop };
}

/** SIGSTOP the service and time until its port accepts on a new pid: Vigil's health check
 * has to notice, kill the stopped process and start another. */
async function hangs(vigil, count) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const pid = await until('the hang service to run', () => vigil.hangPid(null), 30_000, 50);
    await sleep(1500); // a couple of passing health checks first, as in real life
    const t0 = now();
    process.kill(pid, 'SIGSTOP');
    const forget = defer(() => killLeftover(pid, DEMO)); // SIGKILL ends a stopped process too, should Vigil not
    // A stopped process still completes handshakes from its backlog: wait for it to be gone
    // (Vigil killed it) and its socket closed, then for the port to accept on the new one.
    await until(`Vigil to kill hung pid ${pid}`, () => isDead(pid), 60_000, 2);
    await waitPort(vigil.hangPort, false, 5000);
    samples.push((await waitPort(vigil.hangPort, true)) - t0);
    await forget(); // a no-op now that the pid is gone
    await until('a new hang pid', () => vigil.hangPid(pid), 30_000, 20);
  }
  log(`  vigil hang: ${samples.map((s) => s.toFixed(0)).join(' ')} ms`);
  return samples;
}

// ---- PM2 ----

/** PM2 with a private PM2_HOME (never ~/.pm2), the same two demo servers, and the same
 * fairness settings on both apps. */
async function startPm2() {
  const home = tempDir('pm2-bench-');
  // The "touch" file marks the home as not new: PM2 then prints no banner and skips its
  // first-run version check over the network (PM2_DISABLE_VERSION_CHECK stops the daily one).
  writeFileSync(path.join(home, 'touch'), String(Date.now()));
  const env = { ...process.env, PM2_HOME: home, PM2_DISABLE_VERSION_CHECK: 'true', PM2_DISCRETE_MODE: 'true' };
  const pm2 = (...args) =>
    promisify(execFile)(NODE, [path.join(PM2_DIR, 'bin', 'pm2'), ...args], { env, maxBuffer: 64 << 20 }).then((r) => r.stdout);
  const [crashPort, otherPort] = await freePorts(2);
  const app = (name, port) => ({
    name,
    script: DEMO,
    args: ['--port', String(port), '--name', name],
    interpreter: NODE, // PM2's default "node" would be whichever Node comes first on PATH
    min_uptime: 500,
    max_restarts: 1000,
    restart_delay: 0,
    autorestart: true,
  });
  const config = path.join(home, 'ecosystem.config.cjs');
  writeFileSync(config, `module.exports = ${JSON.stringify({ apps: [app('crash', crashPort), app('other', otherPort)] }, null, 2)};\n`);
  const pidFile = path.join(home, 'pm2.pid');
  let lastList = [];
  const jlist = async () => {
    const text = await pm2('jlist');
    lastList = JSON.parse(text.slice(text.indexOf('[')));
    return lastList;
  };
  const stop = defer(async () => {
    const god = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : null;
    await Promise.race([pm2('kill').catch((err) => log(`pm2 kill: ${err.message}`)), sleep(20_000)]);
    killLeftover(god, home); // the God daemon's title names its PM2_HOME
    for (const p of lastList) killLeftover(p.pid, DEMO);
  });
  await pm2('start', config);
  await until('both PM2 apps online', async () => (await jlist()).every((p) => p.pm2_env.status === 'online'), 30_000, 200);
  await waitPort(crashPort, true);
  await waitPort(otherPort, true);
  const onlinePid = async (old) => {
    const p = (await jlist()).find((x) => x.name === 'crash');
    return p?.pm2_env?.status === 'online' && p.pid && p.pid !== old ? p.pid : null;
  };
  const restarts = () => lastList.find((p) => p.name === 'crash')?.pm2_env?.restart_time;
  return { godPid: Number(readFileSync(pidFile, 'utf8')), crash: await supervised('pm2', crashPort, onlinePid), restarts, stop };
}

/** RSS of a Node process that does nothing: where any Node-based supervisor starts from. */
async function bareNodeRssMb() {
  const child = spawn(NODE, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const stop = defer(() => killHard(child.pid));
  await sleep(1500);
  const { rss } = rssMb(child.pid);
  await stop();
  return rss;
}

// ---- report ----

function report(r, opts) {
  const ms = (n) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
  const rows = [
    ['', 'Vigil', 'PM2', 'floor'],
    ['restart p50 (ms)', ms(r.vigil.p50), ms(r.pm2.p50), ms(r.floor.p50)],
    ['restart p95 (ms)', ms(r.vigil.p95), ms(r.pm2.p95), ms(r.floor.p95)],
    [`hang-to-restart p50 (ms, n=${r.hang.samples.length})`, r.hang.samples.length ? r.hang.p50.toFixed(0) : 'n/a', 'n/a', '-'],
    [`idle CPU (% of 1 core, ${opts.idleSeconds} s)`, r.vigilIdle.cpuPct.toFixed(2), r.pm2Idle.cpuPct.toFixed(2), '-'],
    ['idle RSS (MB, max)', r.vigilIdle.rssMaxMb.toFixed(1), r.pm2Idle.rssMaxMb.toFixed(1), '-'],
    ['  of which private/anon (MB, max)', r.vigilIdle.anonMaxMb.toFixed(1), r.pm2Idle.anonMaxMb.toFixed(1), '-'],
  ];
  const width = Math.max(...rows.map((row) => row[0].length));
  const checks = [
    [`Vigil p50 <= floor p50 + ${TARGETS.overFloorMs} ms`, r.vigil.p50, r.floor.p50 + TARGETS.overFloorMs],
    [`Vigil p50 <= ${TARGETS.ofPm2} x PM2 p50`, r.vigil.p50, TARGETS.ofPm2 * r.pm2.p50],
    ['Vigil idle RSS <= PM2 daemon RSS', r.vigilIdle.rssMaxMb, r.pm2Idle.rssMaxMb],
  ].map(([what, value, limit]) => ({ what, value, limit, pass: value <= limit }));
  const pm2Version = JSON.parse(readFileSync(path.join(PM2_DIR, 'package.json'), 'utf8')).version;

  console.log(`Restart benchmark: ${path.relative(ROOT, DEMO)}, Node ${r.nodeVersion}, ${os.cpus().length} CPUs, load average ${r.load}
  restart = SIGKILL -> the port accepts TCP again (polled every ~1 ms); ${opts.crashes} each after 1 unmeasured warm-up,
    Vigil, PM2 and floor taking turns; kills of one service at least ${SPACING_MS} ms apart
  Vigil: the killed service has restart.reset_after 500ms, crash_loop.failures 1000 (the spacing never triggers backoff or crash-loop)
  PM2 ${pm2Version}: fork mode, private PM2_HOME, min_uptime 500, max_restarts 1000, restart_delay 0, autorestart true
  floor: the benchmark spawns the same server itself and waits for its port
  hang = SIGSTOP -> the port accepts on a new pid; Vigil's defaults (GET /health every 1s, 3 failures, 1s timeout); PM2 has no hang detection
  idle: the supervisor process alone (Vigil's engine, PM2's God daemon), each with two demo servers up, both idle at once;
    CPU from /proc utime+stime, RSS = max VmRSS sampled every second (anon = RssAnon, the part not shared with other node processes)
`);
  console.log(rows.map(([label, ...cells]) => `  ${label.padEnd(width)}  ${cells.map((c) => c.padStart(8)).join('  ')}`).join('\n'));
  console.log('\ntargets');
  for (const c of checks) console.log(`  ${c.pass ? 'PASS' : 'FAIL'}  ${c.what.padEnd(36)} ${c.value.toFixed(1)} vs ${c.limit.toFixed(1)}`);
  console.log(`
context: a SIGKILLed server lets go of its port ${r.teardown.p50.toFixed(1)} ms (p50) after the kill: no restart beats floor + that (${(r.floor.p50 + r.teardown.p50).toFixed(1)} ms)
  RSS at the end of the idle window: Vigil ${r.vigilIdle.rssEndMb.toFixed(1)} MB, PM2 ${r.pm2Idle.rssEndMb.toFixed(1)} MB; after the restarts: Vigil ${r.afterRestarts.vigil.toFixed(1)} MB, PM2 ${r.afterRestarts.pm2.toFixed(1)} MB
  a bare Node (setInterval only) has RSS ${r.bareRss.toFixed(1)} MB`);

  if (opts.json) {
    const n = (x) => (Number.isFinite(x) ? round1(x) : null);
    const pct = (x) => Math.round(x * 100) / 100;
    console.log(
      JSON.stringify({
        vigil_p50_ms: n(r.vigil.p50),
        pm2_p50_ms: n(r.pm2.p50),
        floor_p50_ms: n(r.floor.p50),
        idle_cpu_pct: pct(r.vigilIdle.cpuPct),
        idle_rss_mb: n(r.vigilIdle.rssMaxMb),
        pm2_idle_cpu_pct: pct(r.pm2Idle.cpuPct),
        pm2_idle_rss_mb: n(r.pm2Idle.rssMaxMb),
        idle_rss_anon_mb: n(r.vigilIdle.anonMaxMb),
        pm2_idle_rss_anon_mb: n(r.pm2Idle.anonMaxMb),
        vigil_p95_ms: n(r.vigil.p95),
        pm2_p95_ms: n(r.pm2.p95),
        floor_p95_ms: n(r.floor.p95),
        kill_teardown_p50_ms: n(r.teardown.p50),
        vigil_hang_p50_ms: n(r.hang.p50),
        vigil_hang_samples_ms: r.hang.samples.map(n),
        rss_after_restarts_mb: n(r.afterRestarts.vigil),
        pm2_rss_after_restarts_mb: n(r.afterRestarts.pm2),
        bare_node_rss_mb: n(r.bareRss),
        crashes: opts.crashes,
        idle_seconds: opts.idleSeconds,
        pass: checks.every((c) => c.pass),
      }),
    );
  }
}

// ---- entry ----

function parseArgs(args) {
  const opts = { json: false, build: true, idleSeconds: Number(process.env.VIGIL_BENCH_IDLE_SECONDS || 60), crashes: 20, hangs: 3 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const count = () => {
      const n = Number(args[++i]);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${arg} needs a whole number, got "${args[i] ?? ''}"`);
      return n;
    };
    if (arg === '--json') opts.json = true;
    else if (arg === '--no-build') opts.build = false;
    else if (arg === '--idle-seconds') opts.idleSeconds = Math.max(1, count());
    else if (arg === '--crashes') opts.crashes = Math.max(1, count());
    else if (arg === '--hangs') opts.hangs = count();
    else throw new Error(`unknown option "${arg}" (options: --json --idle-seconds N --crashes N --hangs N --no-build)`);
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
  let stopping = false;
  const interrupted = (signal) => {
    stopping = true;
    log(`\n${signal}: cleaning up`);
    cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    if (process.platform !== 'linux') throw new Error('this benchmark reads /proc: Linux only');
    if (opts.build) {
      // Measure the code as it is now, not a stale bundle.
      const built = spawnSync(NODE, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
      if (built.status !== 0) throw new Error(`npm run build failed:\n${built.stderr}${built.stdout}`);
    }
    const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
    log('starting Vigil and PM2');
    const vigil = await startVigil();
    const pm2 = await startPm2();

    log(`idle for ${opts.idleSeconds} s: Vigil engine pid ${vigil.enginePid}, PM2 God daemon pid ${pm2.godPid}`);
    await sleep(3000); // let start-up garbage settle
    const [vigilIdle, pm2Idle] = await Promise.all([idleCost(vigil.enginePid, opts.idleSeconds), idleCost(pm2.godPid, opts.idleSeconds)]);

    log(`restarts: ${opts.crashes} rounds (+1 warm-up) of Vigil, PM2 and floor`);
    const bare = await floor();
    const samples = await rounds([vigil.crash, pm2.crash, bare], opts.crashes);
    // Memory again after the restarts: growth here would be a leak per restart.
    const afterRestarts = { vigil: rssMb(vigil.enginePid).rss, pm2: rssMb(pm2.godPid).rss };
    const pm2Restarts = pm2.restarts();
    if (pm2Restarts !== opts.crashes + 1) log(`  note: PM2 counted ${pm2Restarts} restarts for ${opts.crashes + 1} kills`);
    await pm2.stop(); // PM2 is done; the hang test has the machine to Vigil alone

    log(`hangs: ${opts.hangs} SIGSTOPs of Vigil's "hang" service`);
    const hang = summary(await hangs(vigil, opts.hangs));
    await vigil.stop();

    const results = {
      vigil: summary(samples.vigil),
      pm2: summary(samples.pm2),
      floor: summary(samples.floor),
      teardown: summary(bare.teardowns.slice(1)), // the warm-up round is not counted
      hang,
      vigilIdle,
      pm2Idle,
      afterRestarts,
      bareRss: await bareNodeRssMb(),
      nodeVersion: spawnSync(NODE, ['--version'], { encoding: 'utf8' }).stdout.trim(),
      load,
    };
    report(results, opts);
    return 0;
  } catch (err) {
    if (!stopping) log(`restart bench failed: ${err.stack ?? err}`);
    return 1;
  } finally {
    await cleanUp();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}
