import { describe, expect, it } from 'vitest';
import { parseAppArgs } from '../../src/main/app-args.ts';
import { ENGINE_RESTART_CAP_MS, engineRestartDelay } from '../../src/main/engine-backoff.ts';

describe('parseAppArgs', () => {
  it('reads the same options as `vigil serve`, ignoring Electron and Chromium switches', () => {
    expect(parseAppArgs(['.', '--no-sandbox', '-c', 'a.yml', '--config=b.yml', '--port', '7400', '--no-watch', '--enable-logging'])).toEqual({
      files: ['a.yml', 'b.yml'],
      port: 7400,
      watch: false,
      errors: [],
    });
  });

  it('reports bad values instead of guessing', () => {
    expect(parseAppArgs(['--port', 'http', '-c']).errors).toEqual(['--port expects a port number (1-65535), got "http"', '-c needs a stack file']);
  });

  it('defaults to no files and watching', () => {
    expect(parseAppArgs([])).toEqual({ files: [], watch: true, errors: [] });
  });
});

describe('engineRestartDelay', () => {
  it('starts at half a second and doubles up to the cap', () => {
    expect([0, 1, 2, 3].map(engineRestartDelay)).toEqual([500, 1000, 2000, 4000]);
    expect(engineRestartDelay(50)).toBe(ENGINE_RESTART_CAP_MS);
    expect(engineRestartDelay(-3)).toBe(500);
  });
});
