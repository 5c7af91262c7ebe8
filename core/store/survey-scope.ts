/**
 * What belongs to one survey in a store that holds several: its nights, its alerts of given nights, its rounds and
 * the labels of the other surveys' alerts. An alert's survey is alerts.survey; a label or a held-out mark of an alert
 * not (yet) ingested has no known survey and is left to every survey, as before there were several.
 */
import type { SurveyId } from '../surveys/survey.js';
import type { Db } from './database.js';
import { LATEST_LABELLING_EVENTS } from './labels.js';

/** Distinct nights of the survey's alerts, ascending. */
export function surveyNights(db: Db, survey: SurveyId): string[] {
  return db.prepare('SELECT DISTINCT night FROM alerts WHERE survey = ? ORDER BY night').pluck().all(survey) as string[];
}

/** The surveys that have alerts on a night, in id order. */
export function surveysOfNight(db: Db, night: string): SurveyId[] {
  return db.prepare('SELECT DISTINCT survey FROM alerts WHERE night = ? ORDER BY survey').pluck().all(night) as SurveyId[];
}

/** Alerts per survey (surveys without alerts are absent). */
export function alertsPerSurvey(db: Db): Map<SurveyId, number> {
  const rows = db.prepare('SELECT survey, COUNT(*) AS n FROM alerts GROUP BY survey').all() as { survey: SurveyId; n: number }[];
  return new Map(rows.map((r) => [r.survey, r.n]));
}

/** Every alert of the survey on these nights. */
export function surveyAlertsOfNights(db: Db, survey: SurveyId, nights: readonly string[]): { candid: string; objectId: string; night: string }[] {
  const stmt = db.prepare('SELECT candid, object_id AS objectId, night FROM alerts WHERE survey = ? AND night = ? ORDER BY candid');
  return nights.flatMap((n) => stmt.all(survey, n) as { candid: string; objectId: string; night: string }[]);
}

/** Candids with a current human label whose alert is of another survey than `survey`. */
export function labelledOfOtherSurveys(db: Db, survey: SurveyId): Set<string> {
  const rows = db
    .prepare(`SELECT e.candid FROM (${LATEST_LABELLING_EVENTS}) e JOIN alerts a ON a.candid = e.candid WHERE a.survey <> ?`)
    .pluck()
    .all(survey) as string[];
  return new Set(rows);
}

/** The feature set each tracked run was logged with (its `feature_set` param; runs without it are absent). */
export function runFeatureSets(db: Db): Map<string, string> {
  const rows = db.prepare("SELECT run_id AS runId, value FROM params WHERE key = 'feature_set'").all() as { runId: string; value: string }[];
  return new Map(rows.map((r) => [r.runId, r.value]));
}

/** Held-out marks of the survey: of its alerts, or of alerts not ingested (whose survey is unknown). */
const HOLDOUT_OF_SURVEY = `FROM holdout h LEFT JOIN alerts a ON a.candid = h.candid WHERE a.survey IS NULL OR a.survey = ?`;

export function holdoutMarksOf(db: Db, survey: SurveyId): { candid: string; objectId: string | null }[] {
  return db.prepare(`SELECT h.candid, h.object_id AS objectId ${HOLDOUT_OF_SURVEY}`).all(survey) as { candid: string; objectId: string | null }[];
}

/** Removes the survey's held-out marks; the other surveys' stay. Returns how many were removed. */
export function clearHoldoutOf(db: Db, survey: SurveyId): number {
  return db.prepare(`DELETE FROM holdout WHERE candid IN (SELECT h.candid ${HOLDOUT_OF_SURVEY})`).run(survey).changes;
}
