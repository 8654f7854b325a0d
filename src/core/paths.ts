// Where Vigil keeps its own files. VIGIL_HOME moves all of them (tests, several engines).
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface VigilPaths {
  home: string;
  token: string;
  /** The token Prometheus scrapes /metrics with (not the API token). */
  scrapeToken: string;
  settings: string;
  processes: string;
  engine: string;
  logs: string;
  /** Output FIFOs of running services. */
  run: string;
}

export function vigilPaths(home = process.env.VIGIL_HOME || path.join(os.homedir(), '.vigil')): VigilPaths {
  const root = path.resolve(home);
  return {
    home: root,
    token: path.join(root, 'token'),
    scrapeToken: path.join(root, 'scrape-token'),
    settings: path.join(root, 'settings.json'),
    processes: path.join(root, 'processes.json'),
    engine: path.join(root, 'engine.json'),
    logs: path.join(root, 'logs'),
    run: path.join(root, 'run'),
  };
}

/** The folder holding Vigil's package.json, from the source tree or the built bundle. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the Vigil package folder');
    dir = parent;
  }
  return dir;
}

export function demoStackFile(): string {
  return path.join(packageRoot(), 'examples', 'demo', 'vigil.yml');
}
