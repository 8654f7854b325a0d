// A real terminal for the tests of `vigil top`: a tmux session on a socket of its own (no user
// config), typed into with send-keys and read with capture-pane, as a person would see it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

export const TMUX = '/usr/bin/tmux';
export const hasTmux = existsSync(TMUX);

export interface TmuxSession {
  /** Types `text` literally, then Enter when asked. */
  type(text: string, enter?: boolean): void;
  /** Sends tmux key names ("q", "Down", "C-c"). */
  keys(...names: string[]): void;
  /** The visible screen, one string per row, without colour. */
  screen(): string[];
  /** Whether the program in the pane has the alternate screen on. */
  alternateScreen(): boolean;
  /** Whether the pane shows its cursor (a full-screen program hides it while it runs). */
  cursorVisible(): boolean;
  /** The command running in the pane now ("bash" once a program has exited). */
  currentCommand(): string;
  resize(width: number, height: number): void;
  kill(): void;
}

/** A `width` × `height` terminal running bash with the prompt "shell$ " and `env` added. */
export function startTmux(width: number, height: number, env: Record<string, string>): TmuxSession {
  const socket = `vigil-test-${randomUUID()}`;
  const tmux = (...args: string[]) => execFileSync(TMUX, ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  const vars = Object.entries({ LANG: 'C.UTF-8', ...env }).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  tmux('new-session', '-d', '-s', 'top', '-x', String(width), '-y', String(height), ...vars, 'bash --norc --noprofile');
  // Keep the size given here, whatever clients attach (none do).
  tmux('set-option', '-t', 'top', 'window-size', 'manual');
  const pane = 'top:0.0';
  // bash sets its own prompt over one from the environment: a plain one, typed.
  tmux('send-keys', '-t', pane, '-l', "PS1='shell$ '; clear");
  tmux('send-keys', '-t', pane, 'Enter');
  return {
    type(text, enter = true) {
      tmux('send-keys', '-t', pane, '-l', text);
      if (enter) tmux('send-keys', '-t', pane, 'Enter');
    },
    keys(...names) {
      tmux('send-keys', '-t', pane, ...names);
    },
    screen() {
      return tmux('capture-pane', '-p', '-t', pane).replace(/\n$/, '').split('\n');
    },
    alternateScreen() {
      return tmux('display-message', '-p', '-t', pane, '#{alternate_on}').trim() === '1';
    },
    cursorVisible() {
      return tmux('display-message', '-p', '-t', pane, '#{cursor_flag}').trim() === '1';
    },
    currentCommand() {
      return tmux('display-message', '-p', '-t', pane, '#{pane_current_command}').trim();
    },
    resize(w, h) {
      tmux('resize-window', '-t', 'top', '-x', String(w), '-y', String(h));
    },
    kill() {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    },
  };
}
