// Why a commit could not be written, in words for the user: the snapshot shows "history
// paused" with this. Each of these clears up by itself (space is freed, the other process
// lets go of its lock), so the store keeps the samples in memory and retries at the next commit.

/** SQLite primary result codes (the low byte of an extended code). */
const REASONS: Record<number, string> = {
  5: 'the history file is locked by another process (SQLITE_BUSY)',
  6: 'the history file is locked (SQLITE_LOCKED)',
  8: 'the history file is read-only (SQLITE_READONLY)',
  10: 'disk I/O error on the history file (SQLITE_IOERR)',
  13: 'the disk is full, or the history size limit is reached (SQLITE_FULL)',
  14: 'the history file cannot be opened (SQLITE_CANTOPEN)',
};

export function writeFailureReason(err: unknown): string {
  const errcode = (err as { errcode?: unknown })?.errcode;
  const known = typeof errcode === 'number' ? REASONS[errcode & 0xff] : undefined;
  return known ?? `history could not be written: ${err instanceof Error ? err.message : String(err)}`;
}

/** SQLITE_BUSY or SQLITE_LOCKED: another connection holds the lock. */
export function isLockError(err: unknown): boolean {
  const errcode = (err as { errcode?: unknown })?.errcode;
  return typeof errcode === 'number' && ((errcode & 0xff) === 5 || (errcode & 0xff) === 6);
}
