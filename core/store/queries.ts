import type { DataSummary, NightCount, SourceFileRow, SurveyCount } from '../api/types.js';
import { SURVEY_IDS } from '../surveys/registry.js';
import type { SurveyId } from '../surveys/survey.js';
import type { Db } from './database.js';
import { LATEST_LABELLING_EVENTS } from './labels.js';

/** Counts for `finkvra info` and the Data screen. */
export function dataSummary(db: Db, dbPath: string): DataSummary {
  const one = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
  const nights = nightCounts(db);
  return {
    dbPath,
    alerts: one('SELECT COUNT(*) AS n FROM alerts'),
    objects: one('SELECT COUNT(DISTINCT object_id) AS n FROM alerts'),
    files: one('SELECT COUNT(*) AS n FROM source_files WHERE error IS NULL'),
    failedFiles: one('SELECT COUNT(*) AS n FROM source_files WHERE error IS NOT NULL'),
    withFeatures: one('SELECT COUNT(DISTINCT candid) AS n FROM features'),
    labelled: one(`SELECT COUNT(*) AS n FROM (${CURRENT_HUMAN_LABELS}) WHERE label IS NOT NULL`),
    nights,
    labelCounts: Object.fromEntries(
      (
        db
          .prepare(`SELECT label, COUNT(*) AS n FROM (${CURRENT_HUMAN_LABELS}) WHERE label IS NOT NULL GROUP BY label`)
          .all() as { label: string; n: number }[]
      ).map((r) => [r.label, r.n]),
    ),
    surveys: surveyCounts(db, nights),
  };
}

/** Per survey: alerts, objects, labelled, files from SQL; pool and nights from the night rows. */
function surveyCounts(db: Db, nights: readonly NightCount[]): SurveyCount[] {
  const per = <T extends { survey: SurveyId }>(sql: string) => new Map((db.prepare(sql).all() as T[]).map((r) => [r.survey, r]));
  const alerts = per<{ survey: SurveyId; alerts: number; objects: number; files: number }>(
    `SELECT survey, COUNT(*) AS alerts, COUNT(DISTINCT object_id) AS objects,
       COUNT(DISTINCT CASE WHEN source_file_id IN (SELECT id FROM source_files WHERE error IS NULL) THEN source_file_id END) AS files
     FROM alerts GROUP BY survey`,
  );
  const labelled = per<{ survey: SurveyId; n: number }>(
    `SELECT a.survey, COUNT(*) AS n FROM (${CURRENT_HUMAN_LABELS}) l JOIN alerts a ON a.candid = l.candid
     WHERE l.label IS NOT NULL GROUP BY a.survey`,
  );
  return SURVEY_IDS.map((survey) => {
    const own = nights.filter((n) => n.survey === survey);
    const a = alerts.get(survey);
    return {
      survey,
      alerts: a?.alerts ?? 0,
      objects: a?.objects ?? 0,
      labelled: labelled.get(survey)?.n ?? 0,
      pool: own.reduce((sum, n) => sum + n.pool, 0),
      nights: own.length,
      files: a?.files ?? 0,
    };
  });
}

/** The current human label of each candid (label NULL when cleared), by the label store's own rule. */
const CURRENT_HUMAN_LABELS = `SELECT candid, object_id, label, created_at FROM (${LATEST_LABELLING_EVENTS})`;

/** Per survey and night; pool = with a detection (in any of its feature rows: each survey has its own sets), unlabelled. */
function nightCounts(db: Db): NightCount[] {
  return db
    .prepare(
      `SELECT a.survey AS survey, a.night AS night, COUNT(*) AS alerts,
         SUM(CASE WHEN l.label IS NULL AND EXISTS (SELECT 1 FROM features f WHERE f.candid = a.candid AND f.ndets > 0)
           THEN 1 ELSE 0 END) AS pool,
         SUM(CASE WHEN l.label IS NOT NULL THEN 1 ELSE 0 END) AS labelled
       FROM alerts a
       LEFT JOIN (${CURRENT_HUMAN_LABELS}) l ON l.candid = a.candid
       GROUP BY a.survey, a.night ORDER BY a.night, a.survey`,
    )
    .all() as NightCount[];
}

export function sourceFiles(db: Db): SourceFileRow[] {
  return db
    .prepare(
      `SELECT id, path, sha256, rows, new_alerts AS newAlerts, ingested_at AS ingestedAt, error
       FROM source_files ORDER BY id`,
    )
    .all() as SourceFileRow[];
}
