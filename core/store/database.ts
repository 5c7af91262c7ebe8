import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Migration } from './migration.js';
import { sqliteOptions } from './native.js';
import { MIGRATIONS } from './migrations/index.js';
import { inspectStoreFile, StoreFileError, StoreVersionError } from './store-file.js';

export type Db = Database.Database;
export { StoreFileError, StoreVersionError };

/** How long a write waits for another connection's write lock before SQLITE_BUSY (long writers commit in pieces). */
export const BUSY_TIMEOUT_MS = 5000;

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
