import { extendedVector, type ContextFields } from '../features/extended.js';
import {
  EXTENDED_FEATURE_NAMES,
  EXTENDED_SET_VERSION,
  FEATURE_NAMES,
  FEATURE_SET_VERSION,
  FEATURE_SET_VERSIONS,
  type FeatureSetName,
} from '../features/names.js';
import { decodeLc } from '../features/packed-lc.js';
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
  /** The feature set by name (settings, --features); `version` wins when both are given. */
  featureSet?: FeatureSetName;
  version?: string;
}

/** Rows computed per statement, so a large store is extended without holding every light curve in memory. */
const EXTEND_CHUNK = 5000;

/**
 * One feature of a set with each alert's position from the alerts table (a set may not hold ra/dec itself: LSST's
 * does not), rows of every alert that has the set, in no set order.
 */
export function featureWithPositions(db: Db, name: string, version: string): { ra: number[]; dec: number[]; values: number[] } {
  const j = featureNames(db, version).indexOf(name);
  if (j < 0) throw new Error(`feature set ${version}: no feature named ${name}`);
  const out = { ra: [] as number[], dec: [] as number[], values: [] as number[] };
  const rows = db
    .prepare('SELECT a.ra, a.dec, f.vector FROM features f JOIN alerts a ON a.candid = f.candid WHERE f.feature_set = ?')
    .iterate(version) as Iterable<{ ra: number; dec: number; vector: Buffer }>;
  for (const r of rows) {
    out.ra.push(r.ra);
    out.dec.push(r.dec);
    out.values.push(r.vector.readDoubleLE(8 * j));
  }
  return out;
}

/**
 * Compute the extended set's row of every alert that has a seed row but no extended one (new alerts, or a store
 * made before the set existed), in one transaction. Extended rows derive from the seed row, the alert's candidate
 * fields and its light curve, so nothing needs re-ingesting.
 */
export function ensureExtendedFeatures(db: Db): number {
  ensureFeatureSet(db, EXTENDED_SET_VERSION, EXTENDED_FEATURE_NAMES);
  const page = db.prepare(
    `SELECT f.candid, f.ndets, f.vector, a.ra, a.dec, a.sgscore1, a.distpsnr1, a.distnr, a.magnr, a.neargaia, a.maggaia,
       l.data AS lc
     FROM features f JOIN alerts a ON a.candid = f.candid LEFT JOIN alert_lc l ON l.candid = f.candid
     WHERE f.feature_set = ? AND f.candid > ?
       AND NOT EXISTS (SELECT 1 FROM features x WHERE x.candid = f.candid AND x.feature_set = ?)
     ORDER BY f.candid LIMIT ?`,
  );
  const insert = db.prepare('INSERT INTO features (candid, feature_set, ndets, vector) VALUES (?, ?, ?, ?)');
  type Row = { candid: string; ndets: number; vector: Buffer; lc: Buffer | null } & ContextFields;
  return db.transaction(() => {
    let added = 0;
    for (let last = ''; ; ) {
      const rows = page.all(FEATURE_SET_VERSION, last, EXTENDED_SET_VERSION, EXTEND_CHUNK) as Row[];
      if (rows.length === 0) return added;
      for (const r of rows) {
        // An alert stored without a light curve gets missing rates and colour, not an error.
        const lc = r.lc ? decodeLc(r.lc, `alert_lc of candid ${r.candid}`) : new Float64Array(0);
        const v = extendedVector(blobToVector(r.vector), r, lc);
        insert.run(r.candid, EXTENDED_SET_VERSION, r.ndets, vectorToBlob(v));
      }
      added += rows.length;
      last = rows[rows.length - 1].candid;
    }
  })();
}

/** Load features as one matrix. With `candids`, rows follow that order. */
export function loadFeatureMatrix(db: Db, q: FeatureQuery = {}): FeatureMatrix {
  const version = q.version ?? FEATURE_SET_VERSIONS[q.featureSet ?? 'seed'];
  if (version === EXTENDED_SET_VERSION) ensureExtendedFeatures(db);
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
