import type { Db } from './database.js';

/** The UTC night of each alert (of one night, or of all), by candid: scored rows carry it. */
export function alertNights(db: Db, night: string | null = null): Map<string, string> {
  const rows = db
    .prepare('SELECT candid, night FROM alerts WHERE (? IS NULL OR night = ?)')
    .all(night, night) as { candid: string; night: string }[];
  return new Map(rows.map((r) => [String(r.candid), r.night]));
}
