import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Migration } from './migration.js';
import { sqliteOptions } from './native.js';
import { MIGRATIONS } from './migrations/index.js';

export type Db = Database.Database;

export class StoreVersionError extends Error {
  constructor(file: string, found: number, known: number) {
    super(
      `${file}: database schema version ${found} was written by a newer Fink VRA (this one knows up to ${known}); ` +
        'upgrade the app or open another database',
    );
    this.name = 'StoreVersionError';
  }
}

/** Open (creating if needed) a store in WAL mode and bring its schema up to date. ':memory:' works for tests. */
export function openStore(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, sqliteOptions());
  // 16 KiB pages for a new store (an existing one keeps its own): light curves and alert rows are ~1 kB each, and
  // bulk merges into the B-trees were about 1.5x faster than with the 4 KiB default.
  if (isEmpty(db)) db.pragma('page_size = 16384');
  db.pragma('journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode (only an OS crash can lose the last commits).
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, file, migrations);
  return db;
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
  const known = migrations.reduce((m, x) => Math.max(m, x.version), 0);
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
