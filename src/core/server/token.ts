// The API token: generated once, kept in the data folder readable by the user alone. Whoever
// holds it controls the stack, so the file is never read or written through a link, and a
// token others could read is replaced rather than served with.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { currentUid, readPrivateFile, UnsafeFileError, writePrivateFile } from '../private-files.ts';

const MIN_TOKEN_CHARS = 32;

export interface LoadedToken {
  token: string;
  /** Why the old token was thrown away, for the engine to say; null when none was. */
  replacedBecause: string | null;
}

/** Reads the token, or makes one. Throws UnsafeFileError when a link, a folder, a FIFO or
 * another user's file sits at its place: that needs a person to look, not a new token. */
export function loadOrCreateToken(file: string, uid: number | null = currentUid()): LoadedToken {
  let replacedBecause: string | null = null;
  try {
    const token = readPrivateFile(file, uid)?.trim();
    if (token && token.length >= MIN_TOKEN_CHARS) return { token, replacedBecause: null };
  } catch (err) {
    if (!(err instanceof UnsafeFileError) || err.reason !== 'exposed') throw err;
    replacedBecause = `${err.message}; it was replaced by a new token`;
  }
  const token = randomBytes(32).toString('hex');
  writePrivateFile(file, `${token}\n`);
  return { token, replacedBecause };
}

/** The token of a running engine, for the CLI. Null when no engine has made one yet. */
export function readToken(file: string, uid: number | null = currentUid()): string | null {
  try {
    return readPrivateFile(file, uid)?.trim() ?? null;
  } catch (err) {
    if (err instanceof UnsafeFileError && err.reason === 'exposed') {
      throw new UnsafeFileError('exposed', `${err.message}. Remove it (rm ${file}) and restart Vigil, which then makes a new one`);
    }
    throw err;
  }
}

export function tokensMatch(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
