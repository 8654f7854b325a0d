// `vigil top` in a real terminal: tmux, 80 × 30, in front of a real `vigil serve` running the
// demo services. What a person would see: the rows and figures, nothing wider than the
// terminal, a resize followed, a restart from the keyboard, q giving the shell its screen back,
// and an engine that goes away and comes back.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import stringWidth from 'string-width';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../../src/shared/contract.ts';
import { freePort, NODE, tempDir, waitFor } from '../helpers/stack.ts';
import { hasTmux, startTmux, type TmuxSession } from '../helpers/tmux.ts';
import { BIN, killEngine, serve, status } from '../helpers/vigil-serve.ts';
import { bothRunning, demoStack, type ServeProcess, startServe } from './serve-process.ts';

if (!hasTmux) console.warn('vigil top terminal test skipped: /usr/bin/tmux is missing (install Debian\'s "tmux" package: apt-get install tmux)');

/** Where the test leaves the last frame it read, for the README (`vigil top` section). */
export const CAPTURED_FRAME = path.join(process.env.TMPDIR ?? '/tmp', 'vigil-top-frame.txt');

const row = (name: string) => new RegExp(`^[> ]${name} +running +(\\d+) `);
/** pid, CPU %, its sparkline, RSS, its sparkline, restarts, uptime, health latency, availability. */
const figures = (name: string) =>
  new RegExp(`^[> ]${name} +running +\\d+ +\\d+(\\.\\d)? [▁-█ ]*[▁-█][▁-█ ]* +\\d+(\\.\\d)?[BKMG] [▁-█ ]*[▁-█][▁-█ ]* +\\d+ +\\S+ +\\d+ms +\\d+(\\.\\d)?%$`);

describe.skipIf(!hasTmux)('vigil top in tmux against vigil serve', () => {
  let engine: ServeProcess;
  let term: TmuxSession | null = null;
  const state = () => engine.api<StateSnapshot>('GET', '/api/state');

  beforeAll(async () => {
    engine = await startServe();
    await waitFor('alpha and beta running', async () => bothRunning((await state()).services), 20_000);
  });
  afterEach(() => {
    term?.kill();
    term = null;
  });
  afterAll(async () => {
    await engine?.stop();
  });

  it('shows the services in 80 columns, follows a resize, restarts with r and gives the shell back on q', async () => {
    term = startTmux(80, 30, { VIGIL_HOME: engine.home });
    const t = term;
    t.type('echo before-top');
    await waitFor('the shell', () => t.screen().includes('before-top'));
    t.type(`${NODE} ${BIN} top`);

    const pids = Object.fromEntries((await state()).services.map((s) => [s.name, s.pid]));
    // The figures come with the engine's samples (every second while top looks; CPU needs two).
    const frame = await waitFor(
      'rows for alpha and beta with CPU, memory, sparklines, health latency and availability',
      () => {
        const lines = t.screen();
        const withFigures = ['alpha', 'beta'].every((name) => lines.some((l) => figures(name).test(l)));
        return withFigures && /^CPU \[\|* *\] +\d/.test(lines[1]!) ? lines : null;
      },
      30_000,
    );
    expect(t.alternateScreen()).toBe(true);
    expect(t.cursorVisible()).toBe(false);
    expect(frame[0]).toMatch(/^Vigil \d+\.\d+\.\d+ {2}engine up /);
    expect(frame.find((l) => row('alpha').test(l))!.match(row('alpha'))![1]).toBe(String(pids.alpha));
    expect(frame.find((l) => l.includes('SERVICE'))).toMatch(/SERVICE +STATE +PID +CPU% .* RSS .* RST +UPTIME +HEALTH +AVAIL/);
    expect(frame.at(-1)).toMatch(/^q quit {2}↑↓ select {2}r restart alpha +refresh 1s$/);
    for (const line of frame) expect(stringWidth(line), line).toBeLessThanOrEqual(80);

    // Wider: the table takes the room (the footer sits on the new last row).
    t.resize(120, 30);
    await waitFor('a frame 120 columns wide', () => {
      const lines = t.screen();
      return lines.length === 30 && lines.at(-1)!.length > 80 && lines.at(-1)!.endsWith('refresh 1s');
    });
    t.resize(80, 30);
    await waitFor('back to 80 columns', () => t.screen().every((l) => stringWidth(l) <= 80) && t.screen().at(-1)!.endsWith('refresh 1s'));

    // Down selects beta, r restarts it: a new pid, on screen and in the engine.
    t.keys('Down');
    await waitFor('beta selected', () => t.screen().some((l) => l.startsWith('>beta ')));
    t.keys('r');
    await waitFor('beta restarted with a new pid', async () => {
      const beta = (await state()).services.find((s) => s.name === 'beta')!;
      return beta.state === 'running' && beta.pid !== pids.beta && beta.pid !== null;
    }, 20_000);
    const newPid = (await state()).services.find((s) => s.name === 'beta')!.pid;
    await waitFor('the new pid on screen', () => t.screen().some((l) => l.match(row('beta'))?.[1] === String(newPid)));

    const last = t.screen();
    for (const line of last) expect(stringWidth(line), line).toBeLessThanOrEqual(80);
    writeFileSync(CAPTURED_FRAME, `${last.join('\n')}\n`);

    t.keys('q');
    await waitFor('vigil top exited', () => t.currentCommand() === 'bash');
    expect(t.alternateScreen()).toBe(false);
    expect(t.cursorVisible()).toBe(true);
    const after = t.screen();
    expect(after).toContain('before-top'); // the shell's own screen, as it was
    await waitFor('the prompt again', () => t.screen().filter(Boolean).at(-1) === 'shell$');
    expect(after.join('\n')).not.toContain('SERVICE');
  });

  it('Ctrl-C restores the terminal too', async () => {
    term = startTmux(80, 24, { VIGIL_HOME: engine.home });
    const t = term;
    t.type(`${NODE} ${BIN} top --refresh 0.5`);
    await waitFor('the screen', () => t.screen().some((l) => row('alpha').test(l)), 20_000);
    expect(t.screen().at(-1)).toMatch(/refresh 0\.5s$/);
    t.keys('C-c');
    await waitFor('vigil top exited', () => t.currentCommand() === 'bash');
    expect(t.alternateScreen()).toBe(false);
    await waitFor('the prompt again', () => t.screen().filter(Boolean).at(-1) === 'shell$');
  });
});

describe.skipIf(!hasTmux)('vigil top when the engine goes away', () => {
  let term: TmuxSession | null = null;
  afterEach(() => {
    term?.kill();
    term = null;
  });

  it('says "engine gone, reconnecting…" and picks up the next engine on the same VIGIL_HOME', async () => {
    const home = tempDir('vigil-top-gone-');
    const { file } = await demoStack(home);
    const apiPort = await freePort();
    const first = await serve(home, file, apiPort);
    await waitFor('alpha and beta running', async () => bothRunning((await status(home)).services), 20_000);
    term = startTmux(80, 30, { VIGIL_HOME: home });
    const t = term;
    t.type(`${NODE} ${BIN} top`);
    await waitFor('the screen', () => t.screen().some((l) => row('beta').test(l)), 20_000);

    await killEngine(first);
    await waitFor('"engine gone" on screen', () => {
      const lines = t.screen();
      return lines[0]!.endsWith('engine gone, reconnecting…') && lines.at(-1)!.endsWith('engine gone, reconnecting…');
    });
    expect(t.alternateScreen(), t.screen().join('\n')).toBe(true); // still on screen, the last known rows kept
    expect(t.screen().some((l) => row('alpha').test(l)), t.screen().join('\n')).toBe(true);

    await serve(home, file, apiPort);
    await waitFor('live again', () => {
      const lines = t.screen();
      return /\d\d:\d\d:\d\d$/.test(lines[0]!) && lines.at(-1)!.endsWith('refresh 1s') && lines.some((l) => row('alpha').test(l));
    }, 20_000);
    t.keys('q');
    await waitFor('vigil top exited', () => t.currentCommand() === 'bash');
    expect(t.alternateScreen()).toBe(false);
  });
});
