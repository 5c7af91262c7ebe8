import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Migration } from './migration.js';
import { sqliteOptions } from './native.js';
import { MIGRATIONS } from './migrations/index.js';
import { rollBackInterruptedMerges } from './merge-marks.js';
import { inspectStoreFile, StoreFileError, StoreVersionError } from './store-file.js';

export type Db = Database.Database;
export { StoreFileError, StoreVersionError };

/** How long a write waits for another connection's write lock before SQLITE_BUSY (long writers commit in pieces). */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * How long a long writer leaves the lock free between two pieces. SQLite's locks are not fair: a writer waiting in
 * another process polls (after 1, 2, 5 … ms, then every 100 ms), so a writer that took the lock again at once would
 * starve it. 10 ms free after pieces of ~50 ms lets a waiting label in within a few polls.
 */
export const WRITER_GAP_MS = 10;
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** How long one piece of a long writer may hold the write lock: a label waits about that. */
export const WRITER_PIECE_MS = 50;

/** The size of a long writer's next piece, from how long the last one took (at most 4x larger at a time). */
export function nextPieceSize(size: number, ms: number, targetMs = WRITER_PIECE_MS): number {
  return Math.max(10, Math.min(size * 4, Math.round((size * targetMs) / Math.max(ms, 0.01))));
}

/**
 * A long synchronous write (an import) in transactions of about WRITER_PIECE_MS each, with the lock left free for
 * WRITER_GAP_MS between them. Each piece commits on its own: callers say what a half-done run leaves (e.g. running
 * it again completes it).
 */
export function writeInPieces<T>(db: Db, items: readonly T[], write: (item: T) => void): void {
  const piece = db.transaction((part: readonly T[]) => {
    for (const item of part) write(item);
  });
  let size = 100;
  for (let i = 0; i < items.length; ) {
    if (i > 0) Atomics.wait(sleepCell, 0, 0, WRITER_GAP_MS);
    const t0 = performance.now();
    piece(items.slice(i, i + size));
    i += size;
    size = nextPieceSize(size, performance.now() - t0);
  }
}

const knownVersion = (migrations: readonly Migration[]): number => migrations.reduce((m, x) => Math.max(m, x.version), 0);

/**
 * Open a store, creating it when the file is missing or empty (ingest, the app's sample night, a new store, tests).
 * Another application's database or a store of a newer version is refused before anything is written to it (so the
 * file stays byte-for-byte as it was). ':memory:' works for tests.
 */
export function openStore(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  if (file === ':memory:') return setUp(new Database(file, sqliteOptions()), file, migrations);
  const kind = inspectStoreFile(file, knownVersion(migrations));
  if (kind.kind === 'missing') mkdirSync(dirname(file), { recursive: true });
  return setUp(new Database(file, sqliteOptions()), file, migrations);
}

/** Open a store that must already exist: every command but ingest, and the app on a chosen store. */
export function openExistingStore(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  if (file === ':memory:') return openStore(file, migrations);
  const kind = inspectStoreFile(file, knownVersion(migrations));
  if (kind.kind === 'missing') throw new StoreFileError(file, 'no store there (the file does not exist); `finkvra ingest` creates one');
  if (kind.kind === 'empty') throw new StoreFileError(file, 'the file is empty, not a Fink VRA store; `finkvra ingest` creates one');
  return setUp(new Database(file, sqliteOptions()), file, migrations);
}

function setUp(db: Db, file: string, migrations: readonly Migration[]): Db {
  // 16 KiB pages for a new store (an existing one keeps its own): light curves and alert rows are ~1 kB each, and
  // bulk merges into the B-trees were about 1.5x faster than with the 4 KiB default.
  if (isEmpty(db)) db.pragma('page_size = 16384');
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode (only an OS crash can lose the last commits).
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  immediateTransactions(db);
  migrate(db, file, migrations);
  // What an ingest killed mid-merge left is rolled back before anyone reads it.
  rollBackInterruptedMerges(db);
  return db;
}

/**
 * Every `db.transaction(fn)` of the store BEGINs IMMEDIATE: it takes the write lock up front, where busy_timeout
 * makes it wait. A deferred transaction that reads first and then writes fails at once with SQLITE_BUSY when
 * another connection wrote in between (busy_timeout cannot help it), which is how labels failed during an ingest.
 */
function immediateTransactions(db: Db): void {
  const make = db.transaction.bind(db);
  db.transaction = ((fn: Parameters<Db['transaction']>[0]) => make(fn).immediate) as Db['transaction'];
}

/** A database with nothing in it yet (a new file): its page size can still be chosen. */
function isEmpty(db: Db): boolean {
  return (db.prepare('SELECT COUNT(*) AS n FROM sqlite_schema').get() as { n: number }).n === 0;
}

export function schemaVersion(db: Db): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

function migrate(db: Db, file: string, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const current = schemaVersion(db);
  const known = knownVersion(migrations);
  if (current > known) {
    db.close();
    throw new StoreVersionError(file, current, known);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    try {
      db.transaction(() => {
        db.exec(m.up);
        m.run?.(db);
        record.run(m.version, m.name, new Date().toISOString());
      })();
    } catch (e) {
      db.close();
      throw new Error(`${file}: migration ${m.version} (${m.name}) failed: ${e instanceof Error ? e.message : String(e)}`, {
        cause: e,
      });
    }
  }
}

/**
 * Runs `fn` with foreign-key checks off (a merge piece: every row it inserts references an alert inserted or kept by
 * the same piece, so checking row by row only costs time, ~15% of the merge). The pragma cannot change inside a
 * transaction, and is restored before anything else uses the connection.
 */
export function withoutForeignKeys<T>(db: Db, fn: () => T): T {
  const fk = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    return fn();
  } finally {
    db.pragma(`foreign_keys = ${fk ? 'ON' : 'OFF'}`);
  }
}
