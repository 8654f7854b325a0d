// The alert flow benchmark lives in TypeScript next to the code it measures (alerts-flow-cost.ts);
// this runs it on the project's Node 24, which reads TypeScript as is.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { NODE, ROOT } from './lib.mjs';

export async function main(args) {
  const result = spawnSync(NODE, [path.join(ROOT, 'bench', 'alerts-flow-cost.ts'), ...args], { stdio: 'inherit' });
  return result.status ?? 1;
}
