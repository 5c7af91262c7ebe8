/** The sherlock_cache table (migration 001): one row per objectId asked of Lasair's Sherlock service. */
import type { Db } from './database.js';

export interface SherlockCacheRow {
  object_id: string;
  sep_arcsec: number | null;
  class: string | null;
  raw_json: string | null;
  fetched_at: string;
}

export interface SherlockCacheTable {
  get(objectId: string): SherlockCacheRow | undefined;
  /** Insert, or replace the row of the same objectId. */
  put(row: SherlockCacheRow): void;
  count(): number;
}

/** The table's statements, prepared once: the feature build asks it once per alert. */
export function sherlockCacheTable(db: Db): SherlockCacheTable {
  const get = db.prepare<[string], SherlockCacheRow>(
    'SELECT object_id, sep_arcsec, class, raw_json, fetched_at FROM sherlock_cache WHERE object_id = ?',
  );
  const put = db.prepare(
    'INSERT OR REPLACE INTO sherlock_cache (object_id, sep_arcsec, class, raw_json, fetched_at) VALUES (?, ?, ?, ?, ?)',
  );
  const count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM sherlock_cache');
  return {
    get: (objectId) => get.get(objectId),
    put: (r) => void put.run(r.object_id, r.sep_arcsec, r.class, r.raw_json, r.fetched_at),
    count: () => count.get()!.n,
  };
}
