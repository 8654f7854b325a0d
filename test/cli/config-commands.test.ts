// `vigil config check` and `vigil import`, run as a user runs them: the built CLI in a child process.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir, writeIn, yaml } from '../helpers/temp-files.ts';

const NODE = path.join(ROOT, 'node_modules/.bin/node');

beforeAll(() => {
  execFileSync(NODE, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'pipe' });
}, 120_000);

function vigil(cwd: string, ...args: string[]) {
  const run = spawnSync(NODE, [path.join(ROOT, 'bin/vigil.mjs'), ...args], { cwd, encoding: 'utf8', timeout: 20_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('vigil config check', () => {
  it('exits 1 and prints file:line:column, field and message for a broken file', () => {
    const dir = tempDir();
    writeIn(dir, 'vigil.yml', yaml('services:', '  - name: web', '    command: [node, server.js]', '    port: not-a-port'));

    const { code, stderr } = vigil(dir, 'config', 'check', 'vigil.yml');

    expect(code).toBe(1);
    expect(stderr).toBe('vigil.yml:4:11: services[0].port: expected a port number (1-65535), got "not-a-port"\n');
  });

  it('exits 0 and names the services of a good file', () => {
    const dir = tempDir();
    writeIn(dir, 'vigil.yml', yaml('services:', '  - name: web', '    command: [node, server.js]', '    port: 3000'));

    const { code, stdout } = vigil(dir, 'config', 'check', 'vigil.yml');

    expect(code).toBe(0);
    expect(stdout).toContain('vigil.yml: OK, 1 services (web)');
  });
});

describe('vigil import', () => {
  it('writes a vigil.yml from a Procfile that config check accepts, and will not overwrite it', () => {
    const dir = tempDir();
    writeIn(dir, 'Procfile', 'web: node server.js\nworker: node worker.js --port $PORT\n');

    const first = vigil(dir, 'import', 'Procfile', '-o', 'out.yml');
    expect(first).toMatchObject({ code: 0, stdout: expect.stringContaining('imported 2 services from Procfile Procfile into out.yml') });
    const written = readFileSync(path.join(dir, 'out.yml'), 'utf8');
    expect(vigil(dir, 'config', 'check', 'out.yml').code).toBe(0);

    const again = vigil(dir, 'import', 'Procfile', '-o', 'out.yml');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('out.yml already exists');
    expect(again.stderr).toContain('--force');
    expect(readFileSync(path.join(dir, 'out.yml'), 'utf8')).toBe(written);
  });
});
