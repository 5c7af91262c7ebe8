/**
 * The pool per night in SQL: ingested alerts with ndets ≥ 1 (one row per feature set, as the pool reads them), not
 * labelled, not skipped (a skip not undone), not held out (the alert, or any alert of its object, marked). The loop's
 * state asks it when no round exists yet, possibly on every label: per-alert index lookups, no label map in memory.
 */
import type { Db } from './database.js';
import { latestLabelOf, openSkipOf } from './labels.js';

/** The pool's alerts, as `a`: labelled and skipped by the label store's own definitions (labels.ts). */
const POOL_ALERTS = `FROM alerts a JOIN features f ON f.candid = a.candid
  WHERE f.ndets >= 1
  AND (${latestLabelOf('a.candid')}) IS NULL
  AND NOT EXISTS (${openSkipOf('a.candid')})
  AND NOT EXISTS (SELECT 1 FROM holdout h WHERE h.candid = a.candid)
  AND NOT EXISTS (SELECT 1 FROM holdout h WHERE h.object_id = a.object_id)`;

/** The night with the most pool alerts (ties: the later night), or null when the pool is empty. */
export function busiestPoolNightOf(db: Db): string | null {
  const r = db
    .prepare(`SELECT a.night AS night, COUNT(*) AS n ${POOL_ALERTS} GROUP BY a.night ORDER BY n DESC, a.night DESC LIMIT 1`)
    .get() as { night: string; n: number } | undefined;
  return r?.night ?? null;
}
