#!/usr/bin/env node
// Vigil needs Node >= 22.12. When an older Node runs this (a system Node 20, say), hand over to
// the Node 24 that the project installs as a dependency, so `npx vigil` works either way.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  let node;
  try {
    node = createRequire(import.meta.url).resolve('node/bin/node');
  } catch {
    console.error(`vigil needs Node.js 22.12 or newer (this is ${process.version}); run "npm install" in ${root}`);
    process.exit(1);
  }
  const child = spawn(node, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  // Pass stop signals on: `kill -INT` of this process must stop `vigil serve` cleanly.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 2 : 1)));
} else {
  const cli = path.join(root, 'dist', 'cli.mjs');
  if (!existsSync(cli)) {
    console.error(`vigil is not built yet: run "npm run build" in ${root}`);
    process.exit(1);
  }
  await import(pathToFileURL(cli).href);
}
