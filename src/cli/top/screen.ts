// The terminal side of `vigil top`, drawn without flicker: the alternate screen (the shell's
// screen comes back untouched on exit), no cursor, and each frame written over the last one
// line by line, only the lines that changed, each followed by "clear to end of line"; the
// screen is never cleared as a whole. A frame goes out in one write, wrapped in synchronized
// output where the terminal knows it (others ignore the sequence).
import { writeSync } from 'node:fs';
import ansiEscapes from 'ansi-escapes';
import { columns } from './cells.ts';

export interface TerminalOutput {
  write(text: string): unknown;
  readonly fd?: number;
}

export class TerminalScreen {
  private readonly out: TerminalOutput;
  private previous: string[] = [];
  private width = 0;
  private height = 0;
  private entered = false;

  constructor(out: TerminalOutput) {
    this.out = out;
  }

  enter(): void {
    if (this.entered) return;
    this.entered = true;
    this.out.write(ansiEscapes.enterAlternativeScreen + ansiEscapes.cursorHide + ansiEscapes.cursorTo(0, 0) + ansiEscapes.eraseDown);
  }

  /** The next frame repaints every line (after a resize, or Ctrl-L). */
  invalidate(): void {
    this.previous = [];
  }

  /** Writes `lines` from the top row of a terminal `width` × `height`. */
  draw(lines: readonly string[], width: number, height: number): void {
    if (!this.entered) return;
    if (width !== this.width || height !== this.height) {
      this.width = width;
      this.height = height;
      this.invalidate();
    }
    let text = '';
    lines.forEach((line, row) => {
      if (this.previous[row] === line) return;
      // A line that fills the row leaves the cursor on its last column: "clear to end of line"
      // there would erase that last character, and the line needs no clearing anyway.
      text += ansiEscapes.cursorTo(0, row) + line + (columns(line) < width ? ansiEscapes.eraseEndLine : '');
    });
    // Below a short frame, whatever an earlier, longer one left there.
    const repaint = this.previous.length === 0 || lines.length < this.previous.length;
    if (repaint && lines.length < height) {
      text += ansiEscapes.cursorTo(0, lines.length) + ansiEscapes.eraseDown;
    }
    this.previous = [...lines];
    if (text) this.out.write(ansiEscapes.beginSynchronizedOutput + text + ansiEscapes.endSynchronizedOutput);
  }

  /** Back to the shell's screen with the cursor shown. Synchronous, so it also works from an
   * 'exit' handler and after an uncaught error. Safe to call more than once. */
  leave(): void {
    if (!this.entered) return;
    this.entered = false;
    const restore = ansiEscapes.cursorShow + ansiEscapes.exitAlternativeScreen;
    if (this.out.fd !== undefined) writeSync(this.out.fd, restore);
    else this.out.write(restore);
  }
}
