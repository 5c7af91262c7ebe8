/** Where and when alerts were taken (jd, night, band), by candid: the meta beside an exported feature matrix. */
import type { Db } from './database.js';

export interface AlertMeta {
  jd: number;
  night: string;
  fid: number;
}

/** The meta of each candid that is in the store (absent ones are left out of the map). */
export function alertMetaOf(db: Db, candids: readonly string[]): Map<string, AlertMeta> {
  const stmt = db.prepare('SELECT jd, night, fid FROM alerts WHERE candid = ?');
  const out = new Map<string, AlertMeta>();
  for (const c of candids) {
    const r = stmt.get(c) as AlertMeta | undefined;
    if (r) out.set(c, r);
  }
  return out;
}
