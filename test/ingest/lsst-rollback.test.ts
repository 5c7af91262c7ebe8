/**
 * Undoing a merge (a failed piece, or a process that died mid-merge) removes every row the file added, LSST ones
 * included: lsst_alerts rows reference their alert, so they must go with it.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openStore, type Db } from '../../core/store/database.js';
import { deleteMergedPiece } from '../../core/store/merge-marks.js';
import { writeLsstFile } from '../../core/store/lsst-alerts.js';
import type { LsstBatch } from '../../core/surveys/lsst/batch.js';
import { readLsstAlerts } from '../../core/surveys/lsst/read.js';
import { SHARED_DATA } from '../helpers/shared-data.js';

const REAL = `${SHARED_DATA}/fink-lsst/lsstcam_ddf_20260105_v10_0.parquet`;
const HAS = existsSync(REAL);
if (!HAS) console.warn(`[lsst-rollback] skipped: ${REAL} is absent (real Fink LSST data lives in ../shared/data)`);

const count = (db: Db, table: string): number => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

describe.skipIf(!HAS)('deleteMergedPiece on LSST alerts', () => {
  it('removes the lsst_alerts rows with their alerts, light curves and features', async () => {
    const db = openStore(':memory:');
    const batches: LsstBatch[] = [];
    for await (const b of readLsstAlerts(REAL)) batches.push(b);
    writeLsstFile(db, { path: REAL, sha256: 'a'.repeat(64), sizeBytes: 1 }, batches);
    const id = db.prepare('SELECT id FROM source_files').pluck().get() as number;
    expect([count(db, 'alerts'), count(db, 'lsst_alerts'), count(db, 'alert_lc'), count(db, 'features')]).toEqual([25, 25, 25, 25]);
    expect(deleteMergedPiece(db, id)).toBe(25);
    expect(deleteMergedPiece(db, id)).toBe(0);
    expect([count(db, 'alerts'), count(db, 'lsst_alerts'), count(db, 'alert_lc'), count(db, 'features')]).toEqual([0, 0, 0, 0]);
    db.close();
  });
});
