/** The held-out set's rows (migration 005): which alerts and objects are marked, and adding marks. */
import type { Db } from './database.js';

export interface HoldoutMark {
  candid: string;
  objectId: string | null;
}

/** Every mark, of every survey. */
export function holdoutRows(db: Db): HoldoutMark[] {
  return db.prepare('SELECT candid, object_id AS objectId FROM holdout').all() as HoldoutMark[];
}

/** Adds marks in one transaction (a candid already marked is left as it is); returns how many were new. */
export function insertHoldoutMarks(db: Db, rows: readonly HoldoutMark[], task: string, source: string): number {
  const ins = db.prepare('INSERT OR IGNORE INTO holdout (candid, object_id, task, source, marked_at) VALUES (?, ?, ?, ?, ?)');
  const at = new Date().toISOString();
  return db.transaction(() => rows.reduce((n, r) => n + ins.run(r.candid, r.objectId, task, source, at).changes, 0))();
}

/** The object of each candid: from its alert, else from its latest label event; undefined when the store has neither. */
export function objectIdsOf(db: Db, candids: readonly string[]): Map<string, string | undefined> {
  const fromAlerts = db.prepare('SELECT object_id FROM alerts WHERE candid = ?').pluck();
  const fromLabels = db.prepare('SELECT object_id FROM label_events WHERE candid = ? ORDER BY id DESC LIMIT 1').pluck();
  return new Map(candids.map((c) => [c, (fromAlerts.get(c) ?? fromLabels.get(c)) as string | undefined]));
}
