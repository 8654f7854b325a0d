#!/usr/bin/env node
// `npm start`: the menubar app where Electron's runtime is installed; elsewhere (a server, a CI
// box, a machine whose network kept Electron's download out) one line saying so, then
// `vigil serve`. Arguments go to either (`npm start -- -c vigil.yml --port 7400`).
// Plain JavaScript that any Node from 18 on can run: `npm start` uses whatever `node` is first
// on the PATH, and the engine itself runs on the project's own Node 24.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const OUTPUTS = ['dist/cli.mjs', 'dist/engine-host/engine-host.mjs', 'dist/main/main.cjs', 'dist/preload/preload.cjs', 'dist/renderer/index.html'];

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** A build is due when an output is missing or older than a source file. */
function buildIsStale() {
  const outputs = OUTPUTS.map((f) => path.join(root, f));
  if (!outputs.every((f) => existsSync(f))) return true;
  const src = path.join(root, 'src');
  if (!existsSync(src)) return false;
  return newestMtime(src) > Math.min(...outputs.map((f) => statSync(f).mtimeMs));
}

/** The Node that runs Vigil: the project's own (Node 24) when installed. */
function projectNode() {
  const local = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'node.cmd' : 'node');
  return existsSync(local) ? local : process.execPath;
}

/** Electron's binary, or why it cannot run here. `require('electron')` from Node gives the
 * binary's path, and throws when the runtime was never downloaded. */
function electronRuntime() {
  let binary;
  try {
    binary = createRequire(import.meta.url)('electron');
  } catch {
    return { binary: null, why: "Electron's runtime is not installed here (get it with `node node_modules/electron/install.js` where the network allows)" };
  }
  if (typeof binary !== 'string' || !existsSync(binary)) {
    return { binary: null, why: "Electron's runtime is not installed here (get it with `node node_modules/electron/install.js` where the network allows)" };
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { binary: null, why: 'there is no display here for the menubar app (DISPLAY and WAYLAND_DISPLAY are unset)' };
  }
  return { binary, why: null };
}

if (buildIsStale()) {
  const built = spawnSync(projectNode(), [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const runtime = electronRuntime();
let command;
let commandArgs;
if (runtime.binary) {
  command = runtime.binary;
  commandArgs = [root, ...args];
} else {
  console.log(`${runtime.why}: running \`vigil serve\` instead.`);
  command = projectNode();
  commandArgs = [path.join(root, 'bin', 'vigil.mjs'), 'serve', ...args];
}

// Its own process group: Ctrl-C in a terminal reaches this process (and npm), which pass it on
// once. Were the child in the terminal's group too, it would get the signal twice, and a
// second SIGINT cuts `vigil serve`'s orderly stop short.
const child = spawn(command, commandArgs, { stdio: 'inherit', detached: true });
const passed = new Set();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (passed.has(signal)) return;
    passed.add(signal);
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}
child.on('error', (err) => {
  console.error(`could not start ${command}: ${err.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? 128 + (os.constants.signals[signal] ?? 1)));
