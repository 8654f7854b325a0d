// Bundles the engine/CLI (and the Electron main and preload) with esbuild. One file per entry
// loads faster and uses less memory than hundreds of module files.
import { build } from 'esbuild';

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
    banner: { js: "import { createRequire as __vigilCreateRequire } from 'node:module'; const require = __vigilCreateRequire(import.meta.url);" },
  }),
  // Reads stack files for the engine in a child process (see load-stack-isolated.ts).
  build({
    ...common,
    entryPoints: ['src/core/config/stack-loader-main.ts'],
    outfile: 'dist/stack-loader.mjs',
    format: 'esm',
    banner: esmRequireBanner,
  }),
]);
