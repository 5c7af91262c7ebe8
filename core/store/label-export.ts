/** What the labelled-set export reads of each alert (core/loop/export.ts). */
import type { Db } from './database.js';

export interface AlertExportMeta {
  survey: string;
  night: string;
  jd: number;
  ra: number;
  dec: number;
  fid: number;
  magpsf: number | null;
  drb: number | null;
}

/** A look-up of one alert's export columns (undefined when the alert is not ingested). */
export function alertExportMeta(db: Db): (candid: string) => AlertExportMeta | undefined {
  const q = db.prepare('SELECT survey, night, jd, ra, dec, fid, magpsf, drb FROM alerts WHERE candid = ?');
  return (candid) => q.get(candid) as AlertExportMeta | undefined;
}
