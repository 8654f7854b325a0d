// Notices edits to stack files. Watches each file's folder rather than the file, because
// editors save by writing a new file and renaming it over the old one.
import { type FSWatcher, watch } from 'node:fs';
import path from 'node:path';

export function watchStackFiles(files: string[], onChange: () => void, debounceMs = 150): () => void {
  const byDir = new Map<string, Set<string>>();
  for (const file of files) {
    const dir = path.dirname(file);
    if (!byDir.has(dir)) byDir.set(dir, new Set());
    byDir.get(dir)!.add(path.basename(file));
  }
  let timer: NodeJS.Timeout | null = null;
  const fire = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      onChange();
    }, debounceMs);
  };
  const watchers: FSWatcher[] = [];
  for (const [dir, names] of byDir) {
    try {
      const watcher = watch(dir, (_event, name) => {
        if (name === null || names.has(name.toString())) fire();
      });
      watcher.on('error', () => {}); // the folder went away: nothing to reload until it returns
      watchers.push(watcher);
    } catch {
      // an unwatchable folder only costs live reload
    }
  }
  return () => {
    if (timer) clearTimeout(timer);
    watchers.forEach((w) => w.close());
  };
}
