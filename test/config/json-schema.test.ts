// The JSON Schema that editors use: current with the zod schema, and agreeing with the loader.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { JSON_SCHEMA_FILE } from '../../src/core/config/json-schema.ts';
import { loadStack } from '../../src/core/config/load-stack.ts';
import { serviceSchema } from '../../src/core/config/schema.ts';
import { ROOT, tempDir, writeIn, yaml } from '../helpers/temp-files.ts';

const NODE = path.join(ROOT, 'node_modules/.bin/node');
const committed = readFileSync(path.join(ROOT, JSON_SCHEMA_FILE), 'utf8');
const schema = JSON.parse(committed);
// ajv comes with electron-store (through conf); formats such as "uri" are the editor's business.
const validator = () => new Ajv2020.default({ strict: false, validateFormats: false }).compile(schema);

/** A stack file that uses every key a service can have. */
const fullExample = yaml(
  'version: 1',
  'services:',
  '  - name: db',
  '    port: 5432',
  '  - name: api',
  '    command: [node, server.js, --port, "8080"]',
  '    shell: false',
  '    cwd: ./api',
  '    env: { NODE_ENV: development, WORKERS: 2, VERBOSE: true }',
  '    port: 8080',
  '    health: { type: http, url: "http://127.0.0.1:8080/health", status: 200, timeout: 2s, interval: 500ms, failures: 2, start_timeout: 1m }',
  '    restart:',
  '      policy: on-failure',
  '      backoff: { initial: 200ms, factor: 1.5, cap: 10s, jitter: 0.1 }',
  '      reset_after: 30s',
  '    crash_loop: { failures: 3, window: 1m, cool_off: 15s }',
  '    stop: { signal: SIGINT, timeout: 3000 }',
  '    depends_on: [db]',
  '    logs: { max_size: 5MB, files: 3 }',
  '    metrics: { url: "http://127.0.0.1:8080/metrics", interval: 30s }',
);

describe('schema/vigil.schema.json', () => {
  it('is what scripts/write-schema.ts writes now (run "npm run schema" after changing the zod schema)', () => {
    const out = path.join(tempDir(), 'vigil.schema.json');
    execFileSync(NODE, ['scripts/write-schema.ts', out], { cwd: ROOT });
    expect(committed).toBe(readFileSync(out, 'utf8'));
  });

  it('names itself and lists every service key, refusing others', () => {
    expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', title: expect.stringContaining('Vigil') });
    const service = schema.properties.services.items;
    expect(Object.keys(service.properties)).toEqual(Object.keys(serviceSchema.shape));
    expect(service).toMatchObject({ required: ['name'], additionalProperties: false });
    expect(service.properties.health.additionalProperties).toBe(false);
  });

  it('accepts the demo stack and a file that uses every key, as the loader does', async () => {
    const validate = validator();
    const demo = path.join(ROOT, 'examples/demo/vigil.yml');
    const full = writeIn(tempDir(), 'vigil.yml', fullExample);
    for (const file of [demo, full]) {
      expect(validate(parse(readFileSync(file, 'utf8'))), JSON.stringify(validate.errors)).toBe(true);
    }
    await expect(loadStack([demo])).resolves.toBeDefined();
    await expect(loadStack([full])).resolves.toBeDefined();
  });

  it('flags a misspelt key and a port out of range, as the loader does', () => {
    const validate = validator();
    expect(validate(parse(yaml('services:', '  - name: web', '    comand: [node]')))).toBe(false);
    expect(validate(parse(yaml('services:', '  - name: web', '    command: [node]', '    port: 70000')))).toBe(false);
  });
});
