/** The sherlock_cache table (migration 001): one row per objectId asked of Lasair, so each is asked once. */
import type Database from 'better-sqlite3';

export interface SherlockEntry {
  objectId: string;
  /** Separation to Sherlock's top crossmatch in arcsec; null when Lasair has none (e.g. ORPHAN, unknown object). */
  sepArcsec: number | null;
  /** Sherlock's classification (SN, NT, AGN, VS, CV, BS, ORPHAN, ...), null when unknown. */
  sherlockClass: string | null;
  rawJson?: string | null;
  fetchedAt?: string;
}

export interface SherlockCache {
  get(objectId: string): SherlockEntry | undefined;
  put(entry: SherlockEntry): void;
}

interface Row {
  object_id: string;
  sep_arcsec: number | null;
  class: string | null;
  raw_json: string | null;
  fetched_at: string;
}

/** A SherlockCache over a store opened with openStore (the table exists from migration 1). */
export function sqliteSherlockCache(db: Database.Database): SherlockCache & {
  getMany(objectIds: readonly string[]): Map<string, SherlockEntry>;
  size(): number;
} {
  const get = db.prepare<[string], Row>('SELECT object_id, sep_arcsec, class, raw_json, fetched_at FROM sherlock_cache WHERE object_id = ?');
  const put = db.prepare(
    'INSERT OR REPLACE INTO sherlock_cache (object_id, sep_arcsec, class, raw_json, fetched_at) VALUES (?, ?, ?, ?, ?)',
  );
  const count = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM sherlock_cache');
  const toEntry = (r: Row): SherlockEntry => ({
    objectId: r.object_id,
    sepArcsec: r.sep_arcsec,
    sherlockClass: r.class,
    rawJson: r.raw_json,
    fetchedAt: r.fetched_at,
  });
  return {
    get(objectId) {
      const r = get.get(objectId);
      return r ? toEntry(r) : undefined;
    },
    put(e) {
      put.run(e.objectId, e.sepArcsec, e.sherlockClass, e.rawJson ?? null, e.fetchedAt ?? new Date().toISOString());
    },
    getMany(objectIds) {
      const out = new Map<string, SherlockEntry>();
      for (const id of objectIds) {
        const r = get.get(id);
        if (r) out.set(id, toEntry(r));
      }
      return out;
    },
    size() {
      return count.get()!.n;
    },
  };
}

/** An in-memory cache (tests, or a session without a store). */
export function memorySherlockCache(): SherlockCache & { entries: Map<string, SherlockEntry> } {
  const entries = new Map<string, SherlockEntry>();
  return {
    entries,
    get: (id) => entries.get(id),
    put: (e) => void entries.set(e.objectId, e),
  };
}

/** sep_arcsec from the cache alone (no network), in the shape computeFeatures/featureMatrix take. */
export function cachedSep(cache: SherlockCache): (objectId: string) => number | null | undefined {
  return (objectId) => cache.get(objectId)?.sepArcsec;
}
