// Puts `vigil` on the PATH (like `npm link`, but never replacing someone else's `vigil`), so
// that the CLI works from any folder, as `npx vigil` and the checks expect.
// Skipped with VIGIL_NO_LINK=1, and quietly when the global bin folder is not writable.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readlinkSync, symlinkSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.env.VIGIL_NO_LINK === '1') process.exit(0);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'bin', 'vigil.mjs');
let prefix;
try {
  prefix = execFileSync('npm', ['prefix', '-g'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
} catch {
  process.exit(0);
}
const binDir = process.platform === 'win32' ? prefix : path.join(prefix, 'bin');
const link = path.join(binDir, 'vigil');
try {
  if (existsSync(link) || isDanglingLink(link)) {
    const current = lstatSync(link).isSymbolicLink() ? path.resolve(binDir, readlinkSync(link)) : null;
    if (current === target) process.exit(0);
    // Replace only a link into another Vigil checkout that no longer exists.
    if (current === null || existsSync(current) || !current.endsWith(path.join('bin', 'vigil.mjs'))) {
      console.log(`vigil: ${link} exists already; left alone (run the CLI with "npx vigil" in ${root})`);
      process.exit(0);
    }
    unlinkSync(link);
  }
  mkdirSync(binDir, { recursive: true });
  symlinkSync(target, link);
  console.log(`vigil: linked ${link} -> ${target}`);
} catch (err) {
  console.log(`vigil: could not put vigil on the PATH (${err.code ?? err.message}); use "npx vigil" in ${root}`);
}

function isDanglingLink(file) {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}
