// Reads small kernel files (/proc, /sys) into one reused buffer. These files report a size of
// 0, so fs.readFileSync stats, allocates and grows a buffer for every read; reading into a kept
// buffer halves the cost (about 31 us -> 16 us per /proc/PID/stat here), and the hot callers
// parse numbers straight from the bytes without making strings.
import { closeSync, openSync, readSync } from 'node:fs';

export class ProcFileReader {
  private buffer = Buffer.allocUnsafe(16 * 1024);

  /** The bytes of the last read; valid until the next read. */
  get bytes(): Buffer {
    return this.buffer;
  }

  /** Reads the whole file; answers its length, or -1 when it cannot be read (the process is
   * gone, the file does not exist on this kernel, permission denied). */
  read(path: string): number {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return -1;
    }
    try {
      let length = 0;
      for (;;) {
        if (length === this.buffer.length) {
          const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
          this.buffer.copy(bigger, 0, 0, length);
          this.buffer = bigger;
        }
        const n = readSync(fd, this.buffer, length, this.buffer.length - length, null);
        if (n === 0) return length;
        length += n;
      }
    } catch {
      return -1; // ESRCH: the process exited between open and read
    } finally {
      closeSync(fd);
    }
  }

  /** The file as text, or null when it cannot be read. */
  text(path: string): string | null {
    const length = this.read(path);
    return length < 0 ? null : this.buffer.toString('latin1', 0, length);
  }
}

/** Parses the unsigned decimal number starting at `at`; -1 when there is none. Used with
 * `skipFields` to read /proc/PID/stat without splitting it into strings. */
export function readUnsigned(bytes: Buffer, at: number, end: number): number {
  let value = -1;
  for (let i = at; i < end; i++) {
    const digit = bytes[i]! - 48;
    if (digit < 0 || digit > 9) break;
    value = value < 0 ? digit : value * 10 + digit;
  }
  return value;
}

/** The index just after `count` more space-separated fields from `at` (at a field's start). */
export function skipFields(bytes: Buffer, at: number, end: number, count: number): number {
  let i = at;
  for (let skipped = 0; skipped < count && i < end; i++) {
    if (bytes[i] === 32) skipped++;
  }
  return i;
}
