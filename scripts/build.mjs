// Bundles the engine/CLI (and the Electron main and preload) with esbuild. One file per entry
// loads faster and uses less memory than hundreds of module files.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: 'linked', logLevel: 'warning', legalComments: 'none' };

await Promise.all([
  build({
    ...common,
    entryPoints: ['src/cli/index.ts'],
    outfile: 'dist/cli.mjs',
    format: 'esm',
    // ws loads these optional native speed-ups only if present
    external: ['bufferutil', 'utf-8-validate'],
    banner: { js: "import { createRequire as __vigilCreateRequire } from 'node:module'; const require = __vigilCreateRequire(import.meta.url);" },
  }),
]);
