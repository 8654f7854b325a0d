// Writing an imported stack: valid YAML, and never over a user's file without --force.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ImportedService, renderStackYaml, writeStackFile } from '../../src/core/config/importers/imported-stack.ts';
import { parseStackFile, StackFileError } from '../../src/core/config/load-stack.ts';
import { tempDir, writeIn } from '../helpers/temp-files.ts';

const services: ImportedService[] = [
  { name: 'web', command: ['node', 'server.js'], shell: false },
  { name: 'worker', command: 'sidekiq -p $PORT', shell: true, env: { PORT: '5100' }, port: 5100 },
];

describe('renderStackYaml', () => {
  it('writes YAML that the loader accepts, saying where it came from', () => {
    const text = renderStackYaml(services, 'Procfile');

    expect(text.split('\n')[0]).toBe('# Imported from Procfile by "vigil import". Check it with "vigil config check".');
    expect(text).not.toContain('shell: false');
    const [web, worker] = parseStackFile(text, 'vigil.yml').services;
    expect(web!.command).toEqual({ program: 'node', args: ['server.js'], shell: false });
    expect(worker).toMatchObject({ command: { program: 'sidekiq -p $PORT', shell: true }, port: 5100, env: { PORT: '5100' } });
  });
});

describe('writeStackFile', () => {
  it('writes a new file', () => {
    const target = path.join(tempDir(), 'vigil.yml');
    const text = renderStackYaml(services, 'Procfile');
    writeStackFile(target, text, false);
    expect(readFileSync(target, 'utf8')).toBe(text);
  });

  it('refuses to overwrite an existing file, and overwrites it with force', () => {
    const target = writeIn(tempDir(), 'vigil.yml', '# my own stack\n');
    const text = renderStackYaml(services, 'Procfile');

    expect(() => writeStackFile(target, text, false)).toThrow(/already exists.*--force/);
    expect(readFileSync(target, 'utf8')).toBe('# my own stack\n');

    writeStackFile(target, text, true);
    expect(readFileSync(target, 'utf8')).toBe(text);
  });

  it('writes nothing when the imported stack would not load (two services of one name)', () => {
    const target = path.join(tempDir(), 'vigil.yml');
    const twins = renderStackYaml([services[0]!, services[0]!], 'ecosystem.config.js');
    expect(() => writeStackFile(target, twins, false)).toThrow(StackFileError);
    expect(existsSync(target)).toBe(false);
  });
});
