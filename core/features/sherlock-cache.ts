/** The Sherlock cache: each objectId is asked of Lasair once (its rows: core/store/sherlock-cache.ts). */
import type Database from 'better-sqlite3';
import { sherlockCacheTable, type SherlockCacheRow } from '../store/sherlock-cache.js';

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

/** A SherlockCache over a store opened with openStore (the table exists from migration 1). */
export function sqliteSherlockCache(db: Database.Database): SherlockCache & {
  getMany(objectIds: readonly string[]): Map<string, SherlockEntry>;
  size(): number;
} {
  const table = sherlockCacheTable(db);
  const toEntry = (r: SherlockCacheRow): SherlockEntry => ({
    objectId: r.object_id,
    sepArcsec: r.sep_arcsec,
    sherlockClass: r.class,
    rawJson: r.raw_json,
    fetchedAt: r.fetched_at,
  });
  return {
    get(objectId) {
      const r = table.get(objectId);
      return r ? toEntry(r) : undefined;
    },
    put(e) {
      table.put({
        object_id: e.objectId,
        sep_arcsec: e.sepArcsec,
        class: e.sherlockClass,
        raw_json: e.rawJson ?? null,
        fetched_at: e.fetchedAt ?? new Date().toISOString(),
      });
    },
    getMany(objectIds) {
      const out = new Map<string, SherlockEntry>();
      for (const id of objectIds) {
        const r = table.get(id);
        if (r) out.set(id, toEntry(r));
      }
      return out;
    },
    size: () => table.count(),
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
