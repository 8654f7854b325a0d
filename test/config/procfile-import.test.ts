// Procfile -> services: one per "name: command" line, ports assigned as foreman does.
import { describe, expect, it } from 'vitest';
import { importProcfile } from '../../src/core/config/importers/procfile.ts';

describe('importProcfile', () => {
  it('turns a plain command into a program and its arguments', () => {
    expect(importProcfile('web: node server.js\n')).toEqual([{ name: 'web', command: ['node', 'server.js'], shell: false }]);
  });

  it('runs a command that uses $PORT through the shell and gives it the port foreman would', () => {
    const [, worker] = importProcfile('web: node server.js\nworker: bundle exec sidekiq -p $PORT\n');
    expect(worker).toEqual({ name: 'worker', command: 'bundle exec sidekiq -p $PORT', shell: true, env: { PORT: '5100' }, port: 5100 });
  });

  it('keeps quoted arguments together', () => {
    const [api] = importProcfile(`api: node "my server.js" --name 'two words'\n`);
    expect(api!.command).toEqual(['node', 'my server.js', '--name', 'two words']);
  });

  it('skips comments and blank lines, and reads CRLF files', () => {
    const services = importProcfile('# processes\r\n\r\nweb: node server.js\r\n   \r\n# worker: off for now\r\nclock: node clock.js\r\n');
    expect(services.map((s) => [s.name, s.command])).toEqual([
      ['web', ['node', 'server.js']],
      ['clock', ['node', 'clock.js']],
    ]);
  });

  it('names the line of a malformed entry', () => {
    expect(() => importProcfile('web: node server.js\n\nthis is not a process\n')).toThrow(/^Procfile line 3: expected "name: command", got "this is not a process"$/);
  });

  it('refuses a Procfile without processes', () => {
    expect(() => importProcfile('# nothing yet\n')).toThrow('declares no processes');
  });
});
