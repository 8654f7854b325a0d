// The stack file `vigil serve` uses when none is named: vigil.yml (or .yaml) in this folder.
import { existsSync } from 'node:fs';
import path from 'node:path';

export function findDefaultStackFile(dir = process.cwd()): string | null {
  for (const name of ['vigil.yml', 'vigil.yaml']) {
    const file = path.join(dir, name);
    if (existsSync(file)) return file;
  }
  return null;
}
