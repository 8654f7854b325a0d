// `vigil top` without a terminal, against a real `vigil serve`: --summary's JSON, one plain
// frame when stdout is a pipe, and the plain "not running" message (exit 3) with no engine.
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import type { TopSummary } from '../../src/cli/top/summary.ts';
import { bothRunning, demoStack } from '../e2e/serve-process.ts';
import { freePort, tempDir, waitFor } from '../helpers/stack.ts';
import { serve, status, vigil } from '../helpers/vigil-serve.ts';

describe('vigil top without a terminal', () => {
  it('with no engine: the plain message and exit 3, for the screen and --summary alike', async () => {
    const home = tempDir();
    for (const args of [['top'], ['top', '--summary']]) {
      const result = await vigil(home, args);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain('Vigil is not running');
      expect(result.stdout).toBe('');
    }
  });

  it('refuses a refresh interval it cannot honour, saying which', async () => {
    const result = await vigil(tempDir(), ['top', '--refresh', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("option '--refresh <seconds>' argument '0' is invalid. expected seconds between 0.2 and 3600");
  });

  it('--summary prints one JSON snapshot; a pipe gets one plain frame of 80 columns', async () => {
    const home = tempDir();
    const { file } = await demoStack(home);
    await serve(home, file, await freePort());
    await waitFor('alpha and beta running', async () => bothRunning((await status(home)).services), 20_000);

    const summaryRun = await vigil(home, ['top', '--summary']);
    expect(summaryRun.code, summaryRun.stderr).toBe(0);
    const summary = JSON.parse(summaryRun.stdout) as TopSummary;
    expect(summary.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(summary.services.map((s) => [s.name, s.state])).toEqual([
      ['alpha', 'running'],
      ['beta', 'running'],
    ]);
    const state = await status(home);
    expect(summary.services[0]!.pid).toBe(state.services[0]!.pid);
    expect(summary.services[0]!.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(summary.tunnels).toEqual([]);
    expect(summary.fly).toBeNull();

    const frameRun = await vigil(home, ['top']);
    expect(frameRun.code, frameRun.stderr).toBe(0);
    expect(frameRun.stdout).not.toContain('\x1b'); // no colour, no cursor movement
    const lines = frameRun.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Vigil \d+\.\d+\.\d+ {2}engine up /);
    expect(lines.some((l) => new RegExp(`^>alpha +running +${state.services[0]!.pid} `).test(l))).toBe(true);
    expect(lines.some((l) => /^ beta +running +\d+ /.test(l))).toBe(true);
    expect(lines).toContain('EVENTS');
    for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(80);
  });
});
