// The history file's tables and connection settings.
//
// WAL with synchronous=NORMAL: a commit survives the process being killed (SIGKILL, a crash)
// because it is in the WAL file the moment COMMIT returns; it is not fsynced, so a power cut
// or kernel crash may lose the last commits (never the file's integrity). That is the right
// trade for metrics. The busy timeout is short on purpose: node:sqlite is synchronous, so a
// long wait for a lock would freeze the engine; a commit that finds the file locked gives up
// quickly and the next one tries again (see write-failure.ts).
//
// Head rows (the open chunks) are written at head checkpoints only; between them each commit
// appends one commit_log row (commit-log.ts). They are keyed tier first, so that the raw
// heads, the biggest and most often changed, sit together in few pages.
//
// Chunks of each tier have their own table: rows are appended in time order, so retention
// deletes whole old pages and new chunks fill pages completely (one table per tier keeps a
// long-lived minute chunk from pinning a page of short-lived raw ones).
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';

export const SCHEMA_VERSION = 1;
export const BUSY_TIMEOUT_MS = 100;
/** Checkpoint every ~200 pages of WAL: each checkpoint stays a few ms, the WAL small. */
const WAL_AUTOCHECKPOINT_PAGES = 200;

export const TIER_TABLES = ['chunks_raw', 'chunks_minute', 'chunks_hour'] as const;

const TABLES = `
CREATE TABLE IF NOT EXISTS series (
  id INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: the commit log names series by id
  key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL
);
${TIER_TABLES.map(
  (table) => `CREATE TABLE IF NOT EXISTS ${table} (
  series INTEGER NOT NULL,
  start INTEGER NOT NULL,
  end INTEGER NOT NULL,${table === 'chunks_raw' ? '\n  times INTEGER NOT NULL, -- the time block (time-blocks.ts); data holds the values' : ''}
  data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS ${table}_by_series ON ${table} (series, end);`,
).join('\n')}
CREATE TABLE IF NOT EXISTS times (
  id INTEGER PRIMARY KEY,
  end INTEGER NOT NULL,
  data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS commit_log (seq INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS heads (
  tier INTEGER NOT NULL,
  series INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (tier, series)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY,
  t INTEGER NOT NULL,
  type TEXT NOT NULL,
  service TEXT,
  json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_time ON events (t);
CREATE INDEX IF NOT EXISTS events_by_service ON events (service, t);
`;

/** Opens (creating it, mode 0600, if need be) the history file and brings its tables up to date. */
export function openHistoryDatabase(file: string): DatabaseSync {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // An empty file is a valid empty database; creating it ourselves sets its mode (SQLite
    // gives the -wal and -shm files the database file's permissions).
    closeSync(openSync(file, 'a', 0o600));
  }
  const db = new DatabaseSync(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.exec(`PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      PRAGMA wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES};
      PRAGMA journal_size_limit = ${4 * 1024 * 1024};`);
    const { user_version: version } = db.prepare('PRAGMA user_version').get() as { user_version: number };
    if (version > SCHEMA_VERSION) {
      throw new Error(`${file} was written by a newer Vigil (history schema ${version}, this one knows ${SCHEMA_VERSION}): move it away or upgrade Vigil`);
    }
    db.exec(`BEGIN IMMEDIATE; ${TABLES} PRAGMA user_version = ${SCHEMA_VERSION}; COMMIT;`);
  } catch (err) {
    if (db.isTransaction) db.exec('ROLLBACK');
    db.close();
    throw err;
  }
  return db;
}
