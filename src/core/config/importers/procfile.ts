// Procfile (foreman, honcho, Heroku): `name: command` per line. Like foreman, each process
// gets PORT = 5000 + 100 * its index, so commands written against $PORT keep working.
import { splitCommand } from './command-words.ts';
import type { ImportedService } from './imported-stack.ts';

export function importProcfile(text: string): ImportedService[] {
  const services: ImportedService[] = [];
  text.split('\n').forEach((raw, lineIndex) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const match = /^([A-Za-z0-9_.-]+)\s*:\s*(.+)$/.exec(line);
    if (!match) throw new Error(`Procfile line ${lineIndex + 1}: expected "name: command", got "${line}"`);
    const [, name, commandLine] = match as unknown as [string, string, string];
    const usesPort = /\$\{?PORT\b/.test(commandLine);
    const port = 5000 + 100 * services.length;
    services.push({
      name,
      ...splitCommand(commandLine),
      ...(usesPort ? { env: { PORT: String(port) }, port } : {}),
    });
  });
  if (services.length === 0) throw new Error('the Procfile declares no processes');
  return services;
}
