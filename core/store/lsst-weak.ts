/** What the weak-label step reads of the store's LSST alerts (core/weak/lsst.ts). */
import type { Db } from './database.js';

export interface LsstWeakRow {
  candid: string;
  objectId: string;
  /** Rubin's association with a known solar-system object (null when none). */
  ssObjectId: string | null;
  ssDesignation: string | null;
}

export function readLsstWeakRows(db: Db): LsstWeakRow[] {
  return db
    .prepare(
      `SELECT a.candid, a.object_id AS objectId, l.ss_object_id AS ssObjectId, l.ss_designation AS ssDesignation
       FROM alerts a JOIN lsst_alerts l ON l.candid = a.candid WHERE a.survey = 'lsst' ORDER BY a.jd, a.candid`,
    )
    .all() as LsstWeakRow[];
}
