// A service's output: timestamped lines to rotating files, and the most recent lines in
// memory for the API, the CLI and incident records. When the disk cannot keep up with a
// flooding service, its pipes are paused (the service blocks on write) rather than lines
// being dropped or buffered without bound.
import path from 'node:path';
import type { Readable } from 'node:stream';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import type { LogLine } from '../../shared/contract.ts';
import { ensurePrivateFolder, tightenFile } from '../private-files.ts';

/** Longer lines are cut in memory and on disk: one runaway line must not eat the buffer. */
const MAX_LINE_CHARS = 16 * 1024;
const WRITE_CHUNK_CHARS = 8 * 1024;

export interface ServiceLogOptions {
  dir: string;
  name: string;
  maxSizeBytes: number;
  files: number;
  /** Lines kept in memory. */
  keep?: number;
}

export class ServiceLog {
  private readonly memory: LogLine[] = [];
  private readonly keep: number;
  private readonly file: RotatingFileStream;
  private readonly paused = new Set<Readable>();
  private seq = 0;
  readonly path: string;

  constructor(options: ServiceLogOptions) {
    this.keep = options.keep ?? 1000;
    // Service output often holds secrets: the user's alone, 0600 files in a 0700 folder.
    ensurePrivateFolder(options.dir);
    this.path = path.join(options.dir, `${options.name}.log`);
    // Classic rotation (name.log, name.1.log, name.2.log ...): the library passes the
    // rotation number as the first argument, and null for the live file.
    const fileName = (rotation: number | Date | null) => (typeof rotation === 'number' && rotation > 0 ? `${options.name}.${rotation}.log` : `${options.name}.log`);
    const rotate = Math.max(1, options.files - 1);
    // Files an older Vigil made 0644; rotation renames files, so their modes carry on.
    for (let i = 0; i <= rotate; i++) tightenFile(path.join(options.dir, fileName(i)));
    this.file = createStream(fileName, {
      path: options.dir,
      size: `${Math.max(1, Math.ceil(options.maxSizeBytes / 1024))}K`,
      rotate,
      mode: 0o600,
    });
    this.file.on('error', () => {
      // A full or read-only disk must not take the engine down; memory still has the lines.
    });
    this.file.on('drain', () => {
      for (const stream of this.paused) stream.resume();
      this.paused.clear();
    });
  }

  /** Reads a child's stdout or stderr line by line until it ends. */
  attach(stream: Readable, kind: 'stdout' | 'stderr'): void {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      if (partial.length > MAX_LINE_CHARS) {
        parts.push(partial);
        partial = '';
      }
      if (!this.writeLines(kind, parts)) {
        stream.pause();
        this.paused.add(stream);
      }
    });
    stream.on('end', () => {
      if (partial) this.writeLines(kind, [partial]);
      partial = '';
    });
    stream.on('error', () => {});
  }

  /** A line from Vigil itself about this service ("started", "killed after 5s"). */
  note(text: string): void {
    this.writeLines('vigil', [text]);
  }

  private writeLines(stream: LogLine['stream'], texts: string[]): boolean {
    if (texts.length === 0) return true;
    const now = new Date().toISOString();
    let out = '';
    let writable = true;
    for (const raw of texts) {
      const text = raw.length > MAX_LINE_CHARS ? `${raw.slice(0, MAX_LINE_CHARS)}… [${raw.length - MAX_LINE_CHARS} more chars]` : raw;
      const line: LogLine = { seq: ++this.seq, time: now, stream, text: text.endsWith('\r') ? text.slice(0, -1) : text };
      this.memory.push(line);
      out += `${now} ${stream.padEnd(6)} ${line.text}\n`;
      // Rotation is checked per write, so small writes keep each file close to max_size.
      if (out.length >= WRITE_CHUNK_CHARS) {
        writable = this.file.write(out) && writable;
        out = '';
      }
    }
    if (this.memory.length > this.keep) this.memory.splice(0, this.memory.length - this.keep);
    return out ? this.file.write(out) && writable : writable;
  }

  /** The last `count` lines, or those after `afterSeq` (for following a log). */
  lines(count = 200, afterSeq = 0): LogLine[] {
    const newer = afterSeq > 0 ? this.memory.filter((l) => l.seq > afterSeq) : this.memory;
    return newer.slice(-count);
  }

  close(): Promise<void> {
    for (const stream of this.paused) stream.resume();
    return new Promise((resolve) => this.file.end(() => resolve()));
  }
}
