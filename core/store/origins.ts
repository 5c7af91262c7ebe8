/** Where each alert came from: its UTC night, its source file and its time (night-grouped validation). */
import { basename } from 'node:path';
import type { Db } from './database.js';

export interface AlertOrigin {
  night: string;
  /** The source file's name (no folder: the same file moved keeps its group). */
  file: string;
  jd: number;
}

/** Origins of the given alerts (unknown candids are absent). */
export function alertOrigins(db: Db, candids: readonly string[]): Map<string, AlertOrigin> {
  const stmt = db.prepare(
    `SELECT a.night, a.jd, s.path FROM alerts a JOIN source_files s ON s.id = a.source_file_id WHERE a.candid = ?`,
  );
  const out = new Map<string, AlertOrigin>();
  for (const c of candids) {
    const r = stmt.get(c) as { night: string; jd: number; path: string } | undefined;
    if (r) out.set(c, { night: r.night, file: basename(r.path), jd: r.jd });
  }
  return out;
}

/** Distinct nights of the store, ascending. */
export function storeNights(db: Db): string[] {
  return (db.prepare('SELECT DISTINCT night FROM alerts ORDER BY night').all() as { night: string }[]).map((r) => r.night);
}

/** Every ingested alert of these nights. */
export function alertsOfNights(db: Db, nights: readonly string[]): { candid: string; objectId: string; night: string }[] {
  const stmt = db.prepare('SELECT candid, object_id AS objectId, night FROM alerts WHERE night = ? ORDER BY candid');
  return nights.flatMap((n) => stmt.all(n) as { candid: string; objectId: string; night: string }[]);
}
