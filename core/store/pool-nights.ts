/**
 * The pool per night in SQL: ingested alerts of one survey with ndets ≥ 1 (counted once, whatever their feature sets:
 * a ZTF alert's extended row is derived later from its seed row), not labelled, not skipped (a skip not undone), not
 * held out (the alert, or any alert of its object, marked). The loop's state asks it when no round exists yet,
 * possibly on every label: per-alert index lookups, no label map in memory.
 */
import type { SurveyId } from '../surveys/survey.js';
import type { Db } from './database.js';
import { latestLabelOf, openSkipOf } from './labels.js';

/** The pool's alerts of one survey, as `a`: labelled and skipped by the label store's own definitions (labels.ts). */
const POOL_ALERTS = `FROM alerts a
  WHERE a.survey = ? AND EXISTS (SELECT 1 FROM features f WHERE f.candid = a.candid AND f.ndets >= 1)
  AND (${latestLabelOf('a.candid')}) IS NULL
  AND NOT EXISTS (${openSkipOf('a.candid')})
  AND NOT EXISTS (SELECT 1 FROM holdout h WHERE h.candid = a.candid)
  AND NOT EXISTS (SELECT 1 FROM holdout h WHERE h.object_id = a.object_id)`;

/** The survey's night with the most pool alerts (ties: the later night), or null when its pool is empty. */
export function busiestPoolNightOf(db: Db, survey: SurveyId): string | null {
  const r = db
    .prepare(`SELECT a.night AS night, COUNT(*) AS n ${POOL_ALERTS} GROUP BY a.night ORDER BY n DESC, a.night DESC LIMIT 1`)
    .get(survey) as { night: string; n: number } | undefined;
  return r?.night ?? null;
}
