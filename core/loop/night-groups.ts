/**
 * The validation group (night or source file) of each training row, made whole per object (learn/group-folds.ts):
 * what the night-grouped cross-validation of a round holds out together.
 */
import { objectWholeGroups, type GroupUnit } from '../learn/group-folds.js';
import type { Db } from '../store/database.js';
import { alertOrigins } from '../store/origins.js';

export function trainingGroups(db: Db, candids: readonly string[], objectIds: readonly string[], unit: GroupUnit): string[] {
  const origins = alertOrigins(db, candids);
  const groups = candids.map((c) => {
    const o = origins.get(c);
    return o ? (unit === 'file' ? o.file : o.night) : '(unknown)';
  });
  const time = candids.map((c) => origins.get(c)?.jd ?? Infinity);
  return objectWholeGroups(objectIds, groups, time);
}
