import type { Db } from './database.js';

/** Alerts per survey in the store (surveys with none are absent). */
export function alertCountsBySurvey(db: Db): Map<string, number> {
  const rows = db.prepare('SELECT survey, COUNT(*) AS n FROM alerts GROUP BY survey').all() as { survey: string; n: number }[];
  return new Map(rows.map((r) => [r.survey, r.n]));
}
