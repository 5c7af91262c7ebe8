import type { Db } from '../store/database.js';
import { ensureFeatureSet } from '../store/features.js';
import { FEATURE_SET_VERSION } from '../features/names.js';

export interface FileRecord {
  path: string;
  sha256: string;
  sizeBytes: number;
}

export interface MergeResult {
  sourceFileId: number;
  newAlerts: number;
}

const ALERT_COLUMNS = `candid, object_id, jd, night, fid, ra, dec, magpsf, sigmapsf, diffmaglim, isdiffpos, drb, rb, nbad,
  ndethist, sgscore1, distpsnr1, ssdistnr, ssnamenr, cdsxmatch, roid, finkclass, tnsclass, scores_json,
  lc_features_g, lc_features_r, sherlock_sep_arcsec, sherlock_class, distnr, magnr, neargaia, maggaia`;

/**
 * Copy a staged file into the store in ONE transaction: the source file row, its new alerts (alerts already in the
 * store from another file keep their first copy: de-duplication on candid; within the file the first row wins),
 * light curves and features (cutouts stay in their sidecar, which the source file row names).
 */
export function mergeStaging(
  db: Db,
  stagingPath: string,
  file: FileRecord,
  rows: number,
  /** The sidecar file name (in cutoutsDir) holding this file's cutouts, or null. */
  cutoutsFile: string | null = null,
): MergeResult {
  ensureFeatureSet(db);
  db.prepare('ATTACH DATABASE ? AS staging').run(stagingPath);
  // Every row inserted here references an alert inserted (or kept) by the same statement sequence, so checking the
  // foreign keys row by row only costs time (~15% of the merge). The pragma cannot change inside a transaction.
  const fk = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    return db.transaction((): MergeResult => {
      const src = db
        .prepare(
          `INSERT INTO source_files (path, sha256, size_bytes, rows, new_alerts, ingested_at, error, cutouts_file)
           VALUES (?, ?, ?, ?, 0, ?, NULL, ?)`,
        )
        .run(file.path, file.sha256, file.sizeBytes, rows, new Date().toISOString(), cutoutsFile);
      const sourceFileId = Number(src.lastInsertRowid);
      // The staging writer kept one row per candid; OR IGNORE skips the alerts already in the store (and, as an
      // alert and its light curve are always inserted together, their light curves).
      const newAlerts = db
        .prepare(
          `INSERT OR IGNORE INTO main.alerts (${ALERT_COLUMNS}, source_file_id)
           SELECT ${ALERT_COLUMNS}, ? FROM staging.staged ORDER BY rowid`,
        )
        .run(sourceFileId).changes;
      db.exec('INSERT OR IGNORE INTO main.alert_lc (candid, data) SELECT candid, lc FROM staging.staged ORDER BY rowid');
      db.prepare(
        `INSERT OR IGNORE INTO main.features (candid, feature_set, ndets, vector)
         SELECT candid, ?, ndets, vector FROM staging.staged ORDER BY rowid`,
      ).run(FEATURE_SET_VERSION);
      db.prepare('UPDATE source_files SET new_alerts = ? WHERE id = ?').run(newAlerts, sourceFileId);
      return { sourceFileId, newAlerts };
    })();
  } finally {
    db.pragma(`foreign_keys = ${fk ? 'ON' : 'OFF'}`);
    db.exec('DETACH DATABASE staging');
  }
}

/** A failed file is recorded (outside any data transaction) so the user can see what went wrong and when. */
export function recordFailedFile(db: Db, file: FileRecord, error: string): void {
  db.prepare(
    'INSERT INTO source_files (path, sha256, size_bytes, rows, new_alerts, ingested_at, error) VALUES (?, ?, ?, NULL, NULL, ?, ?)',
  ).run(file.path, file.sha256, file.sizeBytes, new Date().toISOString(), error);
}

export function alreadyIngested(db: Db, sha256: string): { id: number; path: string } | undefined {
  return db.prepare('SELECT id, path FROM source_files WHERE sha256 = ? AND error IS NULL').get(sha256) as
    | { id: number; path: string }
    | undefined;
}

/** A file of this path and size was ingested before: probably a re-run, so hash it before reading it. */
export function likelyIngested(db: Db, path: string, sizeBytes: number): boolean {
  return !!db.prepare('SELECT 1 FROM source_files WHERE path = ? AND size_bytes = ? AND error IS NULL').get(path, sizeBytes);
}
