// Text cut and padded to a number of terminal columns (wide characters count two, escape
// codes none), and colour that can be switched off. Every line of a frame is built from these,
// so no line is ever wider than the terminal.
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import type { Tone } from '../../renderer/format.ts';

export { stringWidth as columns };

/** `text` (colour codes and all) cut with "…" to at most `width` columns. */
function cut(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  // A wide character across the limit can leave the cut one column over: cut again, shorter.
  for (let target = width; target > 0; target--) {
    const shorter = cliTruncate(text, target);
    if (stringWidth(shorter) <= width) return shorter;
  }
  return '';
}

/** `text` in exactly `width` columns: cut with "…" when longer, padded when shorter. */
export function fitText(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const shortened = cut(text, width);
  const pad = ' '.repeat(Math.max(0, width - stringWidth(shortened)));
  return align === 'left' ? shortened + pad : pad + shortened;
}

/** A finished line (colour codes and all) cut to `width` columns, never padded. */
export function clip(line: string, width: number): string {
  return cut(line, width);
}

const TONE_CODES: Record<Tone, [open: number, close: number]> = {
  ok: [32, 39], // green
  busy: [36, 39], // cyan
  warn: [33, 39], // yellow
  bad: [31, 39], // red
  idle: [90, 39], // grey
};

export type Paint = (text: string, tone: Tone | 'bold' | 'dim' | 'inverse') => string;

export const plain: Paint = (text) => text;

export const coloured: Paint = (text, tone) => {
  if (text === '') return text;
  if (tone === 'bold') return `\x1b[1m${text}\x1b[22m`;
  if (tone === 'dim') return `\x1b[2m${text}\x1b[22m`;
  if (tone === 'inverse') return `\x1b[7m${text}\x1b[27m`;
  const [open, close] = TONE_CODES[tone];
  return `\x1b[${open}m${text}\x1b[${close}m`;
};

/** Segments joined by `gap`, leaving out from the end those that no longer fit `width`. */
export function joinWithin(segments: readonly string[], width: number, gap = '  '): string {
  let line = '';
  for (const segment of segments) {
    if (segment === '') continue;
    const next = line === '' ? segment : line + gap + segment;
    if (stringWidth(next) > width) {
      // Even the first does not fit: cut it rather than show nothing.
      if (line === '') line = clip(segment, width);
      break;
    }
    line = next;
  }
  return line;
}
