/** The alerts' catalogue columns that weak labels are derived from (core/weak). */
import type { Db } from './database.js';

export interface WeakAlertRow {
  candid: string;
  objectId: string;
  roid: number | null;
  cdsxmatch: string | null;
  finkclass: string | null;
  tnsclass: string | null;
}

/** Every stored alert's weak-label columns, in time order (jd, then candid). */
export function readWeakAlertRows(db: Db): WeakAlertRow[] {
  return db
    .prepare(
      `SELECT candid, object_id AS objectId, roid, cdsxmatch, finkclass, tnsclass FROM alerts ORDER BY jd, candid`,
    )
    .all() as WeakAlertRow[];
}
