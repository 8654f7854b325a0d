// The bytes `vigil top` sends the terminal: the alternate screen and a hidden cursor, frames
// written over each other (only the lines that changed), never a whole-screen clear, and the
// terminal handed back as it was.
import { describe, expect, it } from 'vitest';
import { TerminalScreen } from '../../../src/cli/top/screen.ts';

function recorder() {
  const writes: string[] = [];
  return { out: { write: (text: string) => writes.push(text) }, writes };
}

const ESC = '\x1b';
const CLEAR_SCREEN = `${ESC}[2J`;

describe('TerminalScreen', () => {
  it('enters the alternate screen, hides the cursor, and leaves both as it found them', () => {
    const { out, writes } = recorder();
    const screen = new TerminalScreen(out);
    screen.enter();
    expect(writes[0]).toContain(`${ESC}[?1049h`);
    expect(writes[0]).toContain(`${ESC}[?25l`);
    screen.leave();
    expect(writes.at(-1)).toBe(`${ESC}[?25h${ESC}[?1049l`);
    screen.leave(); // twice is harmless: nothing more is written
    expect(writes).toHaveLength(2);
  });

  it('writes each line at its row, clears the rest of short lines only, and only what changed', () => {
    const { out, writes } = recorder();
    const screen = new TerminalScreen(out);
    screen.enter();
    screen.draw(['first', 'x'.repeat(10), 'third'], 10, 5);
    const frame = writes.at(-1)!;
    expect(frame).toContain(`${ESC}[1;1Hfirst${ESC}[K`);
    // A full-width line is not followed by "clear to end of line" (it would erase its last column).
    expect(frame).toContain(`${ESC}[2;1H${'x'.repeat(10)}${ESC}[3;1H`);
    expect(frame).toContain(`${ESC}[3;1Hthird${ESC}[K`);
    expect(frame).toContain(`${ESC}[4;1H${ESC}[J`); // below the frame, once
    expect(frame.startsWith(`${ESC}[?2026h`) && frame.endsWith(`${ESC}[?2026l`)).toBe(true);

    screen.draw(['first', 'x'.repeat(10), 'THIRD'], 10, 5);
    expect(writes.at(-1)).toBe(`${ESC}[?2026h${ESC}[3;1HTHIRD${ESC}[K${ESC}[?2026l`);
    const before = writes.length;
    screen.draw(['first', 'x'.repeat(10), 'THIRD'], 10, 5);
    expect(writes).toHaveLength(before); // nothing changed, nothing written
    expect(writes.join('')).not.toContain(CLEAR_SCREEN);
  });

  it('repaints every line after a resize, and never erases below a frame that fills the screen', () => {
    const { out, writes } = recorder();
    const screen = new TerminalScreen(out);
    screen.enter();
    screen.draw(['a', 'b', 'c'], 10, 3);
    expect(writes.at(-1)).not.toContain(`${ESC}[J`);
    screen.draw(['a', 'b', 'c'], 12, 3);
    expect(writes.at(-1)).toContain(`${ESC}[1;1Ha`);
    expect(writes.at(-1)).toContain(`${ESC}[3;1Hc`);
    expect(writes.join('')).not.toContain(CLEAR_SCREEN);
  });

  it('draws nothing before enter() or after leave()', () => {
    const { out, writes } = recorder();
    const screen = new TerminalScreen(out);
    screen.draw(['a'], 10, 3);
    expect(writes).toEqual([]);
  });
});
