// Bundles the engine/CLI (and the Electron main and preload) with esbuild. One file per entry
// loads faster and uses less memory than hundreds of module files.
import { copyFile, mkdir, readdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build as esbuild } from 'esbuild';

// A build may run while a `vigil` from the last one is starting (a test file that builds before
// it runs, next to another that runs the CLI): every file is replaced whole (temp file, then
// rename) and only when it changed, so a running CLI never finds a chunk missing or half written.
// An unchanged file still gets a new mtime: `npm start` compares mtimes to know a build is due.
const written = new Set();

async function writeIfChanged(file, contents) {
  written.add(file);
  try {
    if (Buffer.compare(await readFile(file), contents) === 0) {
      const now = new Date();
      return await utimes(file, now, now);
    }
  } catch {
    // not there yet
  }
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, contents);
  await rename(temp, file);
}

async function build(options) {
  const result = await esbuild({ ...options, write: false });
  await Promise.all(result.outputFiles.map((out) => writeIfChanged(out.path, out.contents)));
  return result;
}

const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: 'linked', logLevel: 'warning', legalComments: 'none' };
// ESM bundles that still load CommonJS dependencies need a real `require`.
const esmRequireBanner = { js: "import { createRequire as __vigilCreateRequire } from 'node:module'; const require = __vigilCreateRequire(import.meta.url);" };

await Promise.all([
  build({
    ...common,
    // Split: what only some commands need (the stack file parser and schema for `config
    // check` and `import`) sits in chunks loaded on demand, never by `vigil serve`.
    entryPoints: [{ in: 'src/cli/index.ts', out: 'cli' }],
    outdir: 'dist',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    // ws loads these optional native speed-ups only if present
    external: ['bufferutil', 'utf-8-validate'],
    banner: esmRequireBanner,
  }),
  // Reads stack files for the engine in a child process (see load-stack-isolated.ts).
  build({
    ...common,
    entryPoints: ['src/core/config/stack-loader-main.ts'],
    outfile: 'dist/stack-loader.mjs',
    format: 'esm',
    banner: esmRequireBanner,
  }),
  // The engine as Electron's utility process (plain Node, like the CLI's `serve`).
  build({
    ...common,
    entryPoints: ['src/engine-host/engine-host.ts'],
    outfile: 'dist/engine-host/engine-host.mjs',
    format: 'esm',
    external: ['bufferutil', 'utf-8-validate'],
    banner: esmRequireBanner,
  }),
  // Electron main: CommonJS, Electron itself provided at run time.
  build({
    ...common,
    entryPoints: ['src/main/main.ts'],
    outfile: 'dist/main/main.cjs',
    format: 'cjs',
    external: ['electron'],
  }),
  // The preload runs sandboxed: one self-contained script, only 'electron' required.
  build({
    ...common,
    platform: 'browser',
    target: 'chrome120',
    entryPoints: ['src/preload/preload.ts'],
    outfile: 'dist/preload/preload.cjs',
    format: 'cjs',
    external: ['electron'],
  }),
  // The dashboard: served by `vigil serve` and loaded by the app's window. No inline script
  // (the CSP forbids it): index.html loads app.js and app.css.
  build({
    bundle: true,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    jsx: 'automatic',
    minify: true,
    sourcemap: 'linked',
    logLevel: 'warning',
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    entryPoints: [
      { in: 'src/renderer/main.tsx', out: 'app' },
      { in: 'src/renderer/styles.css', out: 'app' },
    ],
    outdir: 'dist/renderer',
  }).then(async () => {
    await mkdir('dist/renderer', { recursive: true });
    await copyFile('src/renderer/index.html', 'dist/renderer/index.html');
    await copyFile('src/renderer/favicon.svg', 'dist/renderer/favicon.svg');
  }),
]);

// Chunk names carry content hashes: drop the ones this build no longer makes.
const chunks = path.resolve('dist/chunks');
for (const name of await readdir(chunks).catch(() => [])) {
  const file = path.join(chunks, name);
  if (!written.has(file)) await rm(file, { force: true });
}
