import { FEATURE_NAMES, FEATURE_SET_VERSION } from '../features/names.js';
import type { Db } from './database.js';

/** A feature matrix: row-major n×d Float64Array (NaN = missing), rows in the order of `candids`. */
export interface FeatureMatrix {
  candids: string[];
  objectIds: string[];
  X: Float64Array;
  n: number;
  d: number;
  names: string[];
}

export function ensureFeatureSet(db: Db, version = FEATURE_SET_VERSION, names: readonly string[] = FEATURE_NAMES): void {
  db.prepare('INSERT OR IGNORE INTO feature_sets (version, names_json, created_at) VALUES (?, ?, ?)').run(
    version,
    JSON.stringify(names),
    new Date().toISOString(),
  );
}

export function vectorToBlob(v: Float64Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

export function blobToVector(b: Buffer | Uint8Array): Float64Array {
  // Copy: SQLite's buffer is not guaranteed to be 8-byte aligned.
  const out = new Float64Array(b.byteLength / 8);
  new Uint8Array(out.buffer).set(b);
  return out;
}

export function featureNames(db: Db, version = FEATURE_SET_VERSION): string[] {
  const row = db.prepare('SELECT names_json FROM feature_sets WHERE version = ?').get(version) as
    | { names_json: string }
    | undefined;
  return row ? (JSON.parse(row.names_json) as string[]) : [...FEATURE_NAMES];
}

export interface FeatureQuery {
  /** Only these alerts (in this order; unknown candids are dropped). */
  candids?: readonly string[];
  /** Only alerts of this UTC night (YYYY-MM-DD). */
  night?: string | null;
  /** Only alerts with at least this many positive detections (the pool uses 1). */
  minNdets?: number;
  version?: string;
}

/** Load features as one matrix. With `candids`, rows follow that order. */
export function loadFeatureMatrix(db: Db, q: FeatureQuery = {}): FeatureMatrix {
  const version = q.version ?? FEATURE_SET_VERSION;
  const names = featureNames(db, version);
  const d = names.length;
  type Row = { candid: string; object_id: string; vector: Buffer };
  let rows: Row[];
  if (q.candids) {
    const stmt = db.prepare(
      `SELECT f.candid, a.object_id, f.vector FROM features f JOIN alerts a ON a.candid = f.candid
       WHERE f.candid = ? AND f.feature_set = ? AND f.ndets >= ?`,
    );
    rows = [];
    for (const c of q.candids) {
      const r = stmt.get(c, version, q.minNdets ?? 0) as Row | undefined;
      if (r) rows.push(r);
    }
  } else {
    rows = db
      .prepare(
        `SELECT f.candid, a.object_id, f.vector FROM features f JOIN alerts a ON a.candid = f.candid
         WHERE f.feature_set = ? AND f.ndets >= ? AND (? IS NULL OR a.night = ?) ORDER BY a.jd, f.candid`,
      )
      .all(version, q.minNdets ?? 0, q.night ?? null, q.night ?? null) as Row[];
  }
  const X = new Float64Array(rows.length * d);
  rows.forEach((r, i) => X.set(blobToVector(r.vector).subarray(0, d), i * d));
  return { candids: rows.map((r) => r.candid), objectIds: rows.map((r) => r.object_id), X, n: rows.length, d, names };
}
