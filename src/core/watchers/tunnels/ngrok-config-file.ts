// Where the ngrok agent's API listens, from ngrok's own config file: `web_addr` at the top in
// config version 2, under `agent:` in version 3; `false` turns the API off (EXTERNAL-APIS.md).
// Read while the stack file is loaded (in the loader process, which has the YAML parser).
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

export type NgrokWebAddr = { file: string; address: string } | { file: string; disabled: true } | null;

/** ngrok's default config locations, newest first (the agent's `ngrok config check` lists them). */
export function defaultNgrokConfigFiles(home = os.homedir(), platform = process.platform): string[] {
  const files = [];
  if (platform === 'darwin') files.push(path.join(home, 'Library', 'Application Support', 'ngrok', 'ngrok.yml'));
  else if (platform === 'win32') files.push(path.join(process.env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'ngrok', 'ngrok.yml'));
  else files.push(path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'ngrok', 'ngrok.yml'));
  files.push(path.join(home, '.ngrok2', 'ngrok.yml')); // agent 2.x
  return files;
}

/** The first config file that sets web_addr; null when none does (or none can be read). */
export function ngrokWebAddr(files: string[]): NgrokWebAddr {
  for (const file of files) {
    let config: unknown;
    try {
      config = parse(readFileSync(file, 'utf8'));
    } catch {
      continue; // missing or unreadable: the agent would not use it either
    }
    if (typeof config !== 'object' || config === null) continue;
    const record = config as { web_addr?: unknown; agent?: { web_addr?: unknown } };
    const value = record.agent?.web_addr ?? record.web_addr;
    if (value === false) return { file, disabled: true };
    if (typeof value === 'string' && value.trim()) return { file, address: value.trim() };
  }
  return null;
}
