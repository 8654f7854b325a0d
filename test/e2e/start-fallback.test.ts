// `npm start` where Electron's runtime is missing (as on this machine and CI): one line that
// says so, then `vigil serve` with the same arguments, stopped cleanly by one Ctrl-C.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../../src/shared/contract.ts';
import { freePort, NODE, processExists, ROOT, tempDir } from '../helpers/stack.ts';
import { demoStack, ensureBuilt, stopChild, waitForOutput } from './serve-process.ts';

function electronWouldStart(): boolean {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown;
    return typeof binary === 'string' && existsSync(binary) && (process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY));
  } catch {
    return false;
  }
}

const electron = electronWouldStart();
if (electron) console.warn("start fallback test skipped: Electron's runtime is installed here, so `npm start` opens the app");

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe.skipIf(electron)('npm start without Electron', () => {
  it('says why in one line, runs vigil serve with the given arguments, and stops on SIGINT', async () => {
    ensureBuilt();
    const dir = tempDir('vigil-start-');
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    await demoStack(dir);
    const port = await freePort();
    // cwd holds vigil.yml, as `vigil serve` expects; --port goes through to serve.
    // In a process group of its own, like a command in a terminal: Ctrl-C signals the group.
    const child = spawn(NODE, [path.join(ROOT, 'scripts/start.mjs'), '--port', String(port)], {
      cwd: dir,
      env: { ...process.env, VIGIL_HOME: path.join(dir, 'home') },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    cleanups.push(() => child.exitCode === null && child.kill('SIGKILL'));
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    await waitForOutput(child, () => text, /Dashboard and API: http:\/\/127\.0\.0\.1:\d+\//);

    const lines = text.split('\n');
    expect(lines[0]).toBe(
      "Electron's runtime is not installed here (get it with `node node_modules/electron/install.js` where the network allows): running `vigil serve` instead.",
    );
    expect(text).toContain(`Dashboard and API: http://127.0.0.1:${port}/`);
    expect(text).toContain(`loaded 2 services from ${path.join(dir, 'vigil.yml')}`);

    const token = readFileSync(path.join(dir, 'home', 'token'), 'utf8').trim();
    const state = (await (await fetch(`http://127.0.0.1:${port}/api/state`, { headers: { authorization: `Bearer ${token}` } })).json()) as StateSnapshot;
    expect(state.services.map((s) => s.name)).toEqual(['alpha', 'beta']);
    const pids = state.services.map((s) => s.pid).filter((p): p is number => p !== null);

    // Ctrl-C: SIGINT to the terminal's process group, so to start.mjs and whatever shares its group.
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    process.kill(-child.pid!, 'SIGINT');
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000))]);
    if (code === 'hung') await stopChild(child);
    expect(code).toBe(0);
    // One orderly stop (a second SIGINT would cut it short), and nothing left running.
    expect(text.match(/SIGINT: stopping the stack/g)).toHaveLength(1);
    for (const pid of pids) expect(processExists(pid)).toBe(false);
    expect(processExists(state.engine.pid)).toBe(false);
  });
});
