import type { DataSummary, NightCount, SourceFileRow } from '../api/types.js';
import { FEATURE_SET_VERSION } from '../features/names.js';
import type { Db } from './database.js';
import { LATEST_LABELLING_EVENTS } from './labels.js';

/** Counts for `finkvra info` and the Data screen. */
export function dataSummary(db: Db, dbPath: string): DataSummary {
  const one = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
  return {
    dbPath,
    alerts: one('SELECT COUNT(*) AS n FROM alerts'),
    objects: one('SELECT COUNT(DISTINCT object_id) AS n FROM alerts'),
    files: one('SELECT COUNT(*) AS n FROM source_files WHERE error IS NULL'),
    failedFiles: one('SELECT COUNT(*) AS n FROM source_files WHERE error IS NOT NULL'),
    withFeatures: one('SELECT COUNT(DISTINCT candid) AS n FROM features'),
    labelled: one(`SELECT COUNT(*) AS n FROM (${CURRENT_HUMAN_LABELS}) WHERE label IS NOT NULL`),
    nights: nightCounts(db),
    labelCounts: Object.fromEntries(
      (
        db
          .prepare(`SELECT label, COUNT(*) AS n FROM (${CURRENT_HUMAN_LABELS}) WHERE label IS NOT NULL GROUP BY label`)
          .all() as { label: string; n: number }[]
      ).map((r) => [r.label, r.n]),
    ),
  };
}

/** The current human label of each candid (label NULL when cleared), by the label store's own rule. */
const CURRENT_HUMAN_LABELS = `SELECT candid, object_id, label, created_at FROM (${LATEST_LABELLING_EVENTS})`;

function nightCounts(db: Db): NightCount[] {
  return db
    .prepare(
      `SELECT a.night AS night, COUNT(*) AS alerts,
         SUM(CASE WHEN f.ndets > 0 AND l.label IS NULL THEN 1 ELSE 0 END) AS pool,
         SUM(CASE WHEN l.label IS NOT NULL THEN 1 ELSE 0 END) AS labelled
       FROM alerts a
       LEFT JOIN features f ON f.candid = a.candid AND f.feature_set = ?
       LEFT JOIN (${CURRENT_HUMAN_LABELS}) l ON l.candid = a.candid
       GROUP BY a.night ORDER BY a.night`,
    )
    .all(FEATURE_SET_VERSION) as NightCount[];
}

export function sourceFiles(db: Db): SourceFileRow[] {
  return db
    .prepare(
      `SELECT id, path, sha256, rows, new_alerts AS newAlerts, ingested_at AS ingestedAt, error
       FROM source_files ORDER BY id`,
    )
    .all() as SourceFileRow[];
}
