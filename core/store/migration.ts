import type Database from 'better-sqlite3';

/** One schema migration. Each lives in its own file under migrations/, named NNN_name.ts. */
export interface Migration {
  version: number;
  name: string;
  /** SQL run inside the migration's transaction. */
  up: string;
  /** Then, in the same transaction, a data conversion SQL cannot express (e.g. re-encoding blobs). */
  run?: (db: Database.Database) => void;
}
