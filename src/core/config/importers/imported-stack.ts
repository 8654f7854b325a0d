// Writes what an importer found as a vigil.yml, and checks it against the schema before it is
// written, so an import never produces a file that Vigil would refuse.
import { existsSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { checkStack, parseStackFile, StackFileError } from '../load-stack.ts';
import { importPm2Ecosystem } from './pm2-ecosystem.ts';
import { importProcfile } from './procfile.ts';

export interface ImportedService {
  name: string;
  command: string[] | string;
  shell: boolean;
  cwd?: string;
  env?: Record<string, string | number | boolean>;
  port?: number;
  restart?: { policy?: 'never'; backoff?: { initial: string }; reset_after?: string };
  crash_loop?: { failures: number };
  stop?: { timeout: string };
}

export async function importServices(source: string): Promise<{ kind: string; services: ImportedService[] }> {
  const base = path.basename(source);
  if (/^ecosystem.*\.(c|m)?js(on)?$/.test(base) || /\.config\.(c|m)?js$/.test(base)) {
    return { kind: 'PM2 ecosystem file', services: await importPm2Ecosystem(source) };
  }
  return { kind: 'Procfile', services: importProcfile(await readFile(source, 'utf8')) };
}

export function renderStackYaml(services: ImportedService[], from: string): string {
  const clean = services.map(({ shell, ...rest }) => (shell ? { ...rest, shell } : rest));
  const yaml = stringify({ services: clean }, { lineWidth: 0 });
  return `# Imported from ${from} by "vigil import". Check it with "vigil config check".\n${yaml}`;
}

/** Writes `text` to `target` unless a file is already there (a user's file is never overwritten
 * without --force). The YAML is validated first, as `vigil config check` would. */
export function writeStackFile(target: string, text: string, force: boolean): void {
  // Throws StackFileError if the importer produced something invalid (two apps of one name, say).
  const issues = checkStack([parseStackFile(text, target)]);
  if (issues.length > 0) throw new StackFileError(issues);
  if (existsSync(target) && !force) {
    throw new Error(`${target} already exists; Vigil does not overwrite it. Choose another file with -o, or pass --force.`);
  }
  writeFileSync(target, text, { flag: force ? 'w' : 'wx' });
}
