// The token Prometheus scrapes /metrics with: a second token beside the API token, kept in
// VIGIL_HOME/scrape-token with the same care (never read or written through a link, 0600,
// replaced when others could read it; see ../token.ts). It only reads numbers, so it can sit
// in a Prometheus config without handing over the stack, and the API token never has to.
// The engine reads the file at every scrape: a new token (`vigil scrape-token --rotate`) takes
// effect at once, and so does removing the file (a new one is made at the next scrape).
import { randomBytes } from 'node:crypto';
import { writePrivateFile } from '../../private-files.ts';
import { type LoadedToken, loadOrCreateToken } from '../token.ts';

export class ScrapeToken {
  readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  /** Reads the token, or makes one (first use: the engine's start, or `vigil scrape-token`).
   * Throws UnsafeFileError for a link, a folder or another user's file at its place. */
  load(): LoadedToken {
    return loadOrCreateToken(this.file);
  }

  /** The token now, read from the file. */
  current(): string {
    return this.load().token;
  }

  /** Replaces the token; scrapers holding the old one get a 401 from now on. */
  rotate(): string {
    const token = randomBytes(32).toString('hex');
    writePrivateFile(this.file, `${token}\n`);
    return token;
  }
}
