// PM2 ecosystem file -> services: script, interpreter, args, env and restart settings.
import { describe, expect, it } from 'vitest';
import { importServices, renderStackYaml } from '../../src/core/config/importers/imported-stack.ts';
import { importPm2Ecosystem } from '../../src/core/config/importers/pm2-ecosystem.ts';
import { parseStackFile } from '../../src/core/config/load-stack.ts';
import { tempDir, writeIn } from '../helpers/temp-files.ts';

const apps = `[
  {
    name: 'api',
    script: 'server.js',
    args: '--port 4000 --name "my api"',
    env: { PORT: 4000, NODE_ENV: 'development' },
    max_restarts: 10,
    min_uptime: 5000,
    kill_timeout: 3000,
  },
  { name: 'py', script: 'worker.py', interpreter: 'python3', args: ['-v'], autorestart: false },
  { name: 'dev', script: 'npm', args: 'run dev' },
]`;

describe('importPm2Ecosystem', () => {
  it('reads module.exports = { apps } from ecosystem.config.js', async () => {
    const file = writeIn(tempDir(), 'ecosystem.config.js', `module.exports = { apps: ${apps} };\n`);

    const [api, py, dev] = await importPm2Ecosystem(file);

    expect(api).toEqual({
      name: 'api',
      command: ['node', 'server.js', '--port', '4000', '--name', 'my api'],
      shell: false,
      env: { PORT: 4000, NODE_ENV: 'development' },
      port: 4000,
      restart: { reset_after: '5000ms' },
      crash_loop: { failures: 10 },
      stop: { timeout: '3000ms' },
    });
    expect(py).toEqual({ name: 'py', command: ['python3', 'worker.py', '-v'], shell: false, restart: { policy: 'never' } });
    expect(dev).toEqual({ name: 'dev', command: ['npm', 'run', 'dev'], shell: false });
  });

  it('reads an ES module ecosystem file (export default)', async () => {
    const file = writeIn(tempDir(), 'ecosystem.config.mjs', `export default { apps: ${apps} };\n`);
    expect((await importPm2Ecosystem(file)).map((s) => s.name)).toEqual(['api', 'py', 'dev']);
  });

  it('imports settings that the loader reads back as the same behaviour', async () => {
    const file = writeIn(tempDir(), 'ecosystem.config.js', `module.exports = { apps: ${apps} };\n`);
    const { kind, services } = await importServices(file);

    const [api, py] = parseStackFile(renderStackYaml(services, 'ecosystem.config.js'), 'vigil.yml').services;

    expect(kind).toBe('PM2 ecosystem file');
    expect(api).toMatchObject({ port: 4000, env: { PORT: '4000' }, crashLoop: { failures: 10 }, stop: { timeoutMs: 3000 }, restart: { resetAfterMs: 5000 } });
    expect(py!.restart.policy).toBe('never');
  });

  it('says what is wrong with a file without apps, or an app without a script', async () => {
    const dir = tempDir();
    const empty = writeIn(dir, 'ecosystem.config.js', 'module.exports = {};\n');
    const noScript = writeIn(dir, 'other.config.js', "module.exports = { apps: [{ name: 'x' }] };\n");
    await expect(importPm2Ecosystem(empty)).rejects.toThrow('with at least one app');
    await expect(importPm2Ecosystem(noScript)).rejects.toThrow('apps[0] has no "script"');
  });
});
