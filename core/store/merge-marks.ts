/**
 * The in-progress mark of an ingest merge (core/ingest/merge.ts) on its source file row, and the roll-back of what a
 * merge left when its process died: run when a store is opened and before each merge.
 */
import { hostname } from 'node:os';
import { processGone } from '../util/owner-pid.js';
import type { Db } from './database.js';

/**
 * A merge under way is marked on its source file row by this error text (with the process and host), so the row
 * counts as a failed attempt until the last piece clears it: `alreadyIngested` ignores it, and if the process dies
 * mid-merge, the next open of the store (or merge into it) finds the mark, sees the process is gone and rolls the
 * pieces back.
 */
const MERGING = 'merge in progress (process ';
export const mergingMark = (): string => `${MERGING}${process.pid} on ${hostname()})`;

/** Merges under way in this process (store file + source file id): its own marks that are not leftovers. */
const inFlight = new Set<string>();
const flightKey = (db: Db, id: number): string => `${db.name}#${id}`;
export const mergeStarted = (db: Db, id: number): void => void inFlight.add(flightKey(db, id));
export const mergeEnded = (db: Db, id: number): void => void inFlight.delete(flightKey(db, id));

/**
 * One piece of undoing a merge: up to 2000 of the alerts a source file added, with their light curves, features and
 * survey rows (lsst_alerts references alerts, so it goes first).
 */
export function deleteMergedPiece(db: Db, sourceFileId: number): number {
  return db.transaction((): number => {
    const candids = db.prepare('SELECT candid FROM alerts WHERE source_file_id = ? LIMIT 2000').pluck().all(sourceFileId) as string[];
    if (candids.length === 0) return 0;
    const json = JSON.stringify(candids);
    for (const table of ['features', 'alert_lc', 'lsst_alerts', 'alerts']) {
      db.prepare(`DELETE FROM ${table} WHERE candid IN (SELECT value FROM json_each(?))`).run(json);
    }
    return candids.length;
  })();
}

/** Source file rows still marked by a merge whose process on this machine has ended (a crash, a kill). */
function interruptedMerges(db: Db): number[] {
  return markedRows(db)
    .filter((r) => !mergerAlive(db, r.id, r.error))
    .map((r) => r.id);
}

function markedRows(db: Db): { id: number; error: string }[] {
  return db.prepare('SELECT id, error FROM source_files WHERE error LIKE ?').all(`${MERGING}%`) as { id: number; error: string }[];
}

/** Whether a merge is under way in some live process (this one included). */
export function mergeUnderWay(db: Db): boolean {
  return markedRows(db).some((r) => mergerAlive(db, r.id, r.error));
}

function mergerAlive(db: Db, id: number, mark: string): boolean {
  const m = /process (\d+) on (.*)\)$/.exec(mark);
  if (!m || m[2] !== hostname()) return true; // another machine's merge (a shared folder): not ours to judge
  if (Number(m[1]) === process.pid) return inFlight.has(flightKey(db, id));
  return !processGone(Number(m[1]));
}

/** Roll back what interrupted merges left, and keep their rows as failed attempts saying so. */
export function rollBackInterruptedMerges(db: Db): number {
  const ids = interruptedMerges(db);
  for (const id of ids) {
    while (deleteMergedPiece(db, id) > 0);
    db.prepare(
      "UPDATE source_files SET error = 'the merge was interrupted (its process ended); nothing of it was kept', new_alerts = NULL, cutouts_file = NULL WHERE id = ?",
    ).run(id);
  }
  return ids.length;
}

