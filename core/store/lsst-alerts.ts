/**
 * LSST alerts written straight into the store, a whole file in one transaction (tests, small tools, the reference
 * the staged ingest is checked against). Rows as migration 009 describes them, built by core/surveys/lsst/rows.ts.
 */
import type { DustMap } from '../features/dust.js';
import { LSST_SET_VERSION } from '../features/names.js';
import { LSST_FEATURE_NAMES } from '../surveys/lsst/features.js';
import type { LsstBatch } from '../surveys/lsst/batch.js';
import { LSST_ALERT_COLUMNS, commonValues, lsstAlertValues, lsstFeatureRow, lsstLcBlob } from '../surveys/lsst/rows.js';
import type { Db } from './database.js';
import { ensureFeatureSet, vectorToBlob } from './features.js';

export interface LsstFileRecord {
  path: string;
  sha256: string;
  sizeBytes: number;
}

/** An LSST alert id already held by an alert of another survey: the file is refused rather than mixed up. */
export class SurveyIdClash extends Error {
  constructor(readonly candid: string, readonly survey: string) {
    super(`diaSource.diaSourceId: an alert of ${survey} already has this id; the LSST alert was not stored`);
    this.name = 'SurveyIdClash';
  }
}

/** Inserts the file's row and its new alerts in one transaction; returns the new alerts (duplicates keep the first). */
export function writeLsstFile(db: Db, file: LsstFileRecord, batches: readonly LsstBatch[], dust: DustMap | null = null): number {
  ensureFeatureSet(db, LSST_SET_VERSION, LSST_FEATURE_NAMES);
  const surveyOf = db.prepare('SELECT survey FROM alerts WHERE candid = ?').pluck();
  const fileRow = db.prepare(
    `INSERT INTO source_files (path, sha256, size_bytes, rows, new_alerts, ingested_at, error)
     VALUES (?, ?, ?, ?, ?, ?, NULL)`,
  );
  const setNew = db.prepare('UPDATE source_files SET new_alerts = ? WHERE id = ?');
  const alert = db.prepare(
    `INSERT INTO alerts (candid, object_id, jd, night, fid, ra, dec, magpsf, sigmapsf, scores_json, source_file_id, survey)
     VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, '{}', ?, 'lsst')`,
  );
  const lsst = db.prepare(`INSERT INTO lsst_alerts (${LSST_ALERT_COLUMNS.join(', ')}) VALUES (${LSST_ALERT_COLUMNS.map(() => '?').join(', ')})`);
  const lc = db.prepare('INSERT INTO alert_lc (candid, data) VALUES (?, ?)');
  const features = db.prepare('INSERT INTO features (candid, feature_set, ndets, vector) VALUES (?, ?, ?, ?)');
  return db.transaction((): number => {
    const rows = batches.reduce((s, b) => s + b.length, 0);
    const id = Number(fileRow.run(file.path, file.sha256, file.sizeBytes, rows, 0, new Date().toISOString()).lastInsertRowid);
    let added = 0;
    for (const b of batches) {
      for (let i = 0; i < b.length; i++) {
        const c = commonValues(b, i);
        const held = surveyOf.get(c.candid) as string | undefined;
        if (held === 'lsst') continue;
        if (held !== undefined) throw new SurveyIdClash(c.candid, held);
        alert.run(c.candid, c.objectId, c.jd, c.night, c.ra, c.dec, c.magpsf, c.sigmapsf, id);
        lsst.run(...lsstAlertValues(b, i));
        lc.run(c.candid, lsstLcBlob(b, i));
        const f = lsstFeatureRow(b, i, dust);
        features.run(c.candid, LSST_SET_VERSION, f.ndets, vectorToBlob(f.vector));
        added++;
      }
    }
    setNew.run(added, id);
    return added;
  })();
}
