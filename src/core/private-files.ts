// Vigil's own files (the API token, settings, logs) hold secrets or decide what Vigil runs and
// kills, so another local user must neither read them nor plant them. The data folder must be
// writable by its owner alone (else anyone could put a link or a file of their choosing in
// it), its folders are 0700 and its files 0600, and a file whose content matters is opened
// without following links and checked after opening, so a swap between check and use cannot
// redirect it.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, constants, fstatSync, mkdirSync, openSync, readFileSync, renameSync, type Stats, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

export class UnsafeFileError extends Error {
  /** What is wrong: the first three are refused outright; an exposed file may be replaced. */
  readonly reason: 'link' | 'not-a-file' | 'foreign-owner' | 'exposed';
  constructor(reason: UnsafeFileError['reason'], message: string) {
    super(message);
    this.name = 'UnsafeFileError';
    this.reason = reason;
  }
}

/** The user Vigil runs as; null where the system has no uids (Windows). */
export function currentUid(): number | null {
  return process.getuid?.() ?? null;
}

// O_NOFOLLOW and O_NONBLOCK do not exist on Windows; there, links need privileges to create.
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const NON_BLOCK = constants.O_NONBLOCK ?? 0;

const GROUP_OR_OTHERS_WRITE = 0o022;
const GROUP_OR_OTHERS_ANY = 0o077;

function ownerProblem(stats: Stats, uid: number | null): boolean {
  return uid !== null && stats.uid !== uid;
}

/**
 * Makes sure the data folder exists (created 0700, or narrowed to it) and that only its
 * owner, this user, can write to it. A folder others can write to is refused rather than tightened: what they may
 * already have put in it (a link at the token's place, a process list naming pids for Vigil
 * to stop) cannot be told from Vigil's own files.
 */
export function ensureVigilHome(dir: string, uid: number | null = currentUid()): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // a file of that name: said below
  }
  const stats = statSync(dir);
  const fix = 'set VIGIL_HOME to a folder of your own, or fix this one';
  if (!stats.isDirectory()) throw new UnsafeFileError('not-a-file', `Vigil's data folder ${dir} is not a folder; ${fix}`);
  if (ownerProblem(stats, uid)) {
    throw new UnsafeFileError('foreign-owner', `Vigil's data folder ${dir} is owned by another user (uid ${stats.uid}); ${fix}`);
  }
  if (uid !== null && stats.mode & GROUP_OR_OTHERS_WRITE) {
    throw new UnsafeFileError(
      'exposed',
      `Vigil's data folder ${dir} is a folder other users can write to (mode ${(stats.mode & 0o777).toString(8)}), so they could plant files Vigil trusts. ` +
        `Run "chmod 700 ${dir}" and check that everything in it is yours, or set VIGIL_HOME to a folder of your own`,
    );
  }
  // Readable by others but writable by the owner alone: nothing can have been planted, so
  // narrowing it is safe, and keeps even the names of services and logs to the user.
  if (stats.mode & GROUP_OR_OTHERS_ANY) chmodSync(dir, 0o700);
}

/** A folder inside the data folder (logs, run): created 0700, tightened to 0700 if an older
 * Vigil or the umask left it readable by others. */
export function ensurePrivateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (statSync(dir).mode & GROUP_OR_OTHERS_ANY) chmodSync(dir, 0o700);
}

/** Narrows an existing file of Vigil's own to 0600 (log files an older Vigil made 0644). */
export function tightenFile(file: string): void {
  try {
    const stats = statSync(file);
    if (stats.isFile() && stats.mode & GROUP_OR_OTHERS_ANY) chmodSync(file, 0o600);
  } catch {
    // missing: it will be created 0600
  }
}

/**
 * Reads a private file without following a link at its place; null when there is none.
 * Throws UnsafeFileError for a link, anything but a regular file, a file owned by another
 * user, or one that others can read or write (reason 'exposed').
 */
export function readPrivateFile(file: string, uid: number | null = currentUid()): string | null {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO planted here must not block the open; it is refused below.
    fd = openSync(file, constants.O_RDONLY | NO_FOLLOW | NON_BLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw new UnsafeFileError('link', `${file} is a symbolic link; Vigil does not follow links for its own files. Remove it (rm ${file})`);
    throw err;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new UnsafeFileError('not-a-file', `${file} is not a regular file; remove it (rm -r ${file})`);
    if (ownerProblem(stats, uid)) throw new UnsafeFileError('foreign-owner', `${file} is owned by another user (uid ${stats.uid}); remove it (rm ${file})`);
    if (uid !== null && stats.mode & GROUP_OR_OTHERS_ANY) {
      throw new UnsafeFileError('exposed', `${file} is readable by other users (mode ${(stats.mode & 0o777).toString(8)}), so what it holds may be known to them`);
    }
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a private file atomically: a fresh file under a random name, created exclusively
 * (so nothing planted there is written through) with mode 0600, then renamed over the old
 * one (rename replaces a link at that place, it never follows it).
 */
export function writePrivateFile(file: string, text: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW, 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, file);
  } catch (err) {
    unlinkSync(temp);
    throw err;
  }
}
