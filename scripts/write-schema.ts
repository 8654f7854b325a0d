// Writes schema/vigil.schema.json from the zod schema: `npm run schema` (Node 24 runs this
// TypeScript file as is). Give a path to write elsewhere; a test does, to check that the
// committed file is current.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSON_SCHEMA_FILE, renderStackJsonSchema } from '../src/core/config/json-schema.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.resolve(process.argv[2] ?? path.join(root, JSON_SCHEMA_FILE));
mkdirSync(path.dirname(target), { recursive: true });
writeFileSync(target, renderStackJsonSchema());
console.log(`wrote ${path.relative(process.cwd(), target) || target}`);
