/** A synthetic store: alerts with features, built directly through SQL (no ingest), for the loop's unit tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FEATURE_NAMES, FEATURE_SET_VERSION } from '../../core/features/names.js';
import { openStore, type Db } from '../../core/store/database.js';
import { ensureFeatureSet, vectorToBlob } from '../../core/store/features.js';

export interface FakeAlert {
  candid: string;
  objectId: string;
  night: string;
  ndets: number;
  /** Feature values; missing entries are NaN. */
  features?: Partial<Record<string, number>>;
}

export function tempDir(prefix = 'finkvra-loop-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function makeStore(alerts: FakeAlert[], dir = tempDir()): { db: Db; dbPath: string; dir: string } {
  const dbPath = join(dir, 'store.sqlite');
  const db = openStore(dbPath);
  addAlerts(db, alerts);
  return { db, dbPath, dir };
}

export function addAlerts(db: Db, alerts: FakeAlert[]): void {
  ensureFeatureSet(db);
  const src = db
    .prepare(`INSERT INTO source_files (path, sha256, size_bytes, rows, new_alerts, ingested_at) VALUES (?, ?, 0, ?, ?, ?)`)
    .run('synthetic', `sha-${Math.random()}`, alerts.length, alerts.length, new Date().toISOString());
  const srcId = Number(src.lastInsertRowid);
  const insA = db.prepare(
    `INSERT INTO alerts (candid, object_id, jd, night, fid, ra, dec, magpsf, drb, source_file_id)
     VALUES (?, ?, ?, ?, 1, ?, ?, 19.8, 0.9, ?)`,
  );
  const insF = db.prepare('INSERT INTO features (candid, feature_set, ndets, vector) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    alerts.forEach((a, i) => {
      const ra = a.features?.ra ?? (i * 7) % 360;
      const dec = a.features?.dec ?? ((i * 13) % 180) - 90;
      insA.run(a.candid, a.objectId, 2459000.5 + i * 0.001, a.night, ra, dec, srcId);
      const v = new Float64Array(FEATURE_NAMES.length).fill(NaN);
      FEATURE_NAMES.forEach((n, f) => {
        const x = a.features?.[n];
        if (x !== undefined) v[f] = x;
      });
      v[FEATURE_NAMES.indexOf('ndets')] = a.ndets;
      insF.run(a.candid, FEATURE_SET_VERSION, a.ndets, vectorToBlob(v));
    });
  })();
}

/** candid as a 19-digit string (above 2^53 like ZTF's). */
export const cid = (i: number): string => String(1700000000000000000n + BigInt(i));

/**
 * n alerts over two nights; objects of 2 alerts each for the first 10; 'dets_median' separates the classes:
 * even i → 17 + noise (galactic in the helper's labels), odd i → 21 + noise.
 */
export function separableAlerts(n: number, nightOf: (i: number) => string = (i) => (i % 3 === 0 ? '2021-11-22' : '2021-11-23')): FakeAlert[] {
  return Array.from({ length: n }, (_, i) => ({
    candid: cid(i),
    objectId: i < 20 ? `ZTF21obj${Math.floor(i / 2)}` : `ZTF21obj${i}`,
    night: nightOf(i),
    ndets: i % 17 === 5 ? 0 : 1 + (i % 4),
    features: { dets_median: (i % 2 === 0 ? 17 : 21) + ((i * 37) % 10) / 10, drb: 0.5 + ((i * 11) % 50) / 100 },
  }));
}
