/**
 * What a file on disk is, as a store, found without writing to it: a read-only peek, so a refused file (another
 * application's database, a newer store) is left byte-for-byte as it was and gets no -wal/-shm beside it.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { sqliteOptions } from './native.js';

export class StoreFileError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'StoreFileError';
  }
}

export class StoreVersionError extends Error {
  constructor(file: string, found: number, known: number) {
    super(
      `${file}: database schema version ${found} was written by a newer Fink VRA (this one knows up to ${known}); ` +
        'upgrade the app or open another database',
    );
    this.name = 'StoreVersionError';
  }
}

export type StoreFileKind =
  | { kind: 'missing' }
  /** A 0-byte file, or a SQLite database with no table at all. */
  | { kind: 'empty' }
  | { kind: 'store'; version: number };

const SQLITE_MAGIC = 'SQLite format 3\0';

/**
 * Classify `file`; throws StoreFileError for anything that is not (or cannot become) a Fink VRA store, and
 * StoreVersionError for a store of a schema newer than `knownVersion`.
 */
export function inspectStoreFile(file: string, knownVersion: number): StoreFileKind {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new StoreFileError(file, 'is a folder, not a store file');
    size = st.size;
  } catch (e) {
    if (e instanceof StoreFileError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw new StoreFileError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (size === 0) return { kind: 'empty' };
  if (readHead(file, SQLITE_MAGIC.length) !== SQLITE_MAGIC) {
    throw new StoreFileError(file, 'is not a SQLite database (not a Fink VRA store); refusing to touch it');
  }
  // A read-only connection to a WAL database creates its -wal/-shm companions. When the file is refused they are
  // removed again if the peek made them (the -shm is only an index; a new -wal is empty), so it is left as found.
  // An accepted store keeps them: another process may be opening it at this moment.
  const made = ['-wal', '-shm'].map((s) => file + s).filter((f) => !existsSync(f));
  try {
    return peekSchema(file, knownVersion);
  } catch (e) {
    for (const f of made) if (existsSync(f) && (f.endsWith('-shm') || statSync(f).size === 0)) rmSync(f, { force: true });
    throw e;
  }
}

function readHead(file: string, n: number): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

function peekSchema(file: string, knownVersion: number): StoreFileKind {
  let db: Database.Database;
  try {
    db = new Database(file, { ...sqliteOptions(), readonly: true, fileMustExist: true });
  } catch (e) {
    throw new StoreFileError(file, `cannot be opened as a SQLite database (${errorCode(e)})`);
  }
  try {
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
    if (tables.length === 0) return { kind: 'empty' };
    if (!tables.includes('schema_migrations') || !tables.includes('alerts')) {
      throw new StoreFileError(file, "is another application's SQLite database (no Fink VRA schema); refusing to change it");
    }
    const v = db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get() as number | null;
    if ((v ?? 0) > knownVersion) throw new StoreVersionError(file, v ?? 0, knownVersion);
    return { kind: 'store', version: v ?? 0 };
  } catch (e) {
    if (e instanceof StoreFileError || e instanceof StoreVersionError) throw e;
    throw new StoreFileError(file, `cannot be read as a SQLite database (${errorCode(e)})`);
  } finally {
    db.close();
  }
}

const errorCode = (e: unknown): string => (e as { code?: string }).code ?? (e instanceof Error ? e.name : 'error');
