// A service's stdout and stderr go through named pipes (FIFOs) in Vigil's data folder, not
// through pipes owned by the engine. With an ordinary pipe, an engine crash leaves the service
// writing into a pipe nobody reads: its next line fails with EPIPE, and a Node service dies of
// it. Here the service itself also holds a read end (which it never reads), so the pipe stays
// open when the engine goes; the next engine opens the same FIFO by name and reads on.
// (If no engine comes back, a chatty service blocks once the pipe's 64 KB buffer is full.)
import { execFile } from 'node:child_process';
import { closeSync, constants, lstatSync, openSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ensurePrivateFolder } from '../private-files.ts';

type Stream = 'stdout' | 'stderr';
const STREAMS: Stream[] = ['stdout', 'stderr'];

function isFifo(file: string): boolean {
  try {
    return lstatSync(file).isFIFO();
  } catch {
    return false;
  }
}

function mkfifo(file: string): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('mkfifo', ['-m', '600', file], (err) => (err && !isFifo(file) ? reject(err) : resolve())),
  );
}

export class OutputFifos {
  private readonly paths: Record<Stream, string>;
  private readers: Partial<Record<Stream, net.Socket>> = {};
  /** The engine's own write ends: while they are open the readers never see end-of-file, so
   * one reader serves every process the service runs, restart after restart. */
  private holdOpen: number[] = [];
  private opening: Promise<Record<Stream, net.Socket>> | null = null;

  constructor(dir: string, service: string) {
    ensurePrivateFolder(dir);
    this.paths = { stdout: path.join(dir, `${service}.stdout`), stderr: path.join(dir, `${service}.stderr`) };
  }

  /** Creates the FIFOs if needed and opens the engine's ends; the streams carry the output. */
  open(): Promise<Record<Stream, net.Socket>> {
    this.opening ??= (async () => {
      for (const stream of STREAMS) if (!isFifo(this.paths[stream])) await mkfifo(this.paths[stream]);
      for (const stream of STREAMS) {
        // Non-blocking, so that opening never waits for a writer.
        const fd = openSync(this.paths[stream], constants.O_RDONLY | constants.O_NONBLOCK);
        this.readers[stream] = new net.Socket({ fd, readable: true, writable: false });
        this.holdOpen.push(openSync(this.paths[stream], constants.O_WRONLY | constants.O_NONBLOCK));
      }
      return this.readers as Record<Stream, net.Socket>;
    })();
    return this.opening;
  }

  /** The file descriptors a new process gets: stdout and stderr (blocking write ends), then
   * the read ends it keeps only so that the pipes outlive the engine. Pass them in `stdio`
   * and close them with `closeChildEnds` once the process is spawned. */
  childEnds(): { stdio: ['ignore', number, number, number, number]; fds: number[] } {
    const fds: number[] = [];
    try {
      for (const s of STREAMS) fds.push(openSync(this.paths[s], constants.O_WRONLY));
      for (const s of STREAMS) fds.push(openSync(this.paths[s], constants.O_RDONLY | constants.O_NONBLOCK));
    } catch (err) {
      this.closeChildEnds(fds); // out of descriptors, or the FIFOs are gone: leak nothing
      throw err;
    }
    return { stdio: ['ignore', fds[0]!, fds[1]!, fds[2]!, fds[3]!], fds };
  }

  closeChildEnds(fds: number[]): void {
    fds.forEach((fd) => closeSync(fd));
  }

  /** Closes the engine's ends; `remove` also deletes the FIFOs (the service is gone for good). */
  close(remove: boolean): void {
    Object.values(this.readers).forEach((r) => r.destroy());
    this.holdOpen.forEach((fd) => closeSync(fd));
    this.holdOpen = [];
    this.readers = {};
    this.opening = null;
    if (remove) for (const stream of STREAMS) if (isFifo(this.paths[stream])) unlinkSync(this.paths[stream]);
  }
}
