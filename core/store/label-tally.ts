/**
 * How many candids have a current label among a set of labels, kept up to date from the events appended since the
 * last count. The loop state asks it on every label; recounting the whole history each time grows with the store.
 * Exact because label events are append-only (never updated or deleted) and ids only grow: the candids with events
 * after the last counted id are the only ones whose current label can differ. Writers in other processes are seen
 * the same way. Per connection, so a reopened store starts with a full count. Counted per survey: a label of another
 * survey's alert does not count (one of an alert not ingested counts for all); an ingest can change that without a
 * label event, so the newest alert rowid is part of the key.
 */
import type { Label } from '../labels.js';
import type { SurveyId } from '../surveys/survey.js';
import type { Db } from './database.js';
import { LABELLING, LATEST_LABELLING_EVENTS } from './labels.js';

/** Past this many new events (e.g. an import), one full count is cheaper than a lookup per candid. */
const MAX_DELTA_EVENTS = 2000;

interface Tally {
  lastId: number;
  lastAlert: number;
  n: number;
}

const tallies = new WeakMap<Db, Map<string, Tally>>();

function lastEventId(db: Db): number {
  return (db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM label_events').get() as { id: number }).id;
}

function lastAlertRowid(db: Db): number {
  return (db.prepare('SELECT COALESCE(MAX(rowid), 0) AS id FROM alerts').get() as { id: number }).id;
}

/** Not an alert of another survey than `survey` (an alert not ingested belongs to none). */
const OF_SURVEY = (candid: string) => `NOT EXISTS (SELECT 1 FROM alerts a WHERE a.candid = ${candid} AND a.survey <> ?)`;

/** Candids whose current label is one of `labels`, on the survey's alerts. */
export function countLabelledOn(db: Db, labels: readonly Label[], survey: SurveyId): number {
  if (labels.length === 0) return 0;
  const r = db
    .prepare(`SELECT COUNT(*) AS n FROM (${LATEST_LABELLING_EVENTS}) l WHERE l.label IN (${labels.map(() => '?').join(', ')}) AND ${OF_SURVEY('l.candid')}`)
    .get(...labels, survey) as { n: number };
  return r.n;
}

/** countLabelledOn(db, labels, survey), from the previous count plus the candids whose events came since. */
export function tallyLabelledAs(db: Db, labels: readonly Label[], survey: SurveyId = 'ztf'): number {
  const key = `${survey}:${[...labels].sort().join(',')}`;
  let perDb = tallies.get(db);
  if (!perDb) tallies.set(db, (perDb = new Map()));
  const lastId = lastEventId(db);
  const lastAlert = lastAlertRowid(db);
  const t = perDb.get(key);
  if (t && t.lastId === lastId && t.lastAlert === lastAlert) return t.n;
  const incremental = t && t.lastAlert === lastAlert && lastId > t.lastId && lastId - t.lastId <= MAX_DELTA_EVENTS;
  const n = incremental ? t.n + delta(db, labels, survey, t.lastId, lastId) : countLabelledOn(db, labels, survey);
  perDb.set(key, { lastId, lastAlert, n });
  return n;
}

/** Change of the count between the states as of event ids `from` and `to`. */
function delta(db: Db, labels: readonly Label[], survey: SurveyId, from: number, to: number): number {
  const wanted = new Set<string>(labels);
  const touched = db
    .prepare(`SELECT DISTINCT candid FROM label_events WHERE id > ? AND id <= ? AND ${LABELLING} AND ${OF_SURVEY('label_events.candid')}`)
    .all(from, to, survey) as { candid: string }[];
  const labelAt = db.prepare(
    `SELECT label FROM label_events WHERE candid = ? AND id <= ? AND ${LABELLING} ORDER BY id DESC LIMIT 1`,
  );
  const has = (candid: string, at: number): number => {
    const r = labelAt.get(candid, at) as { label: string | null } | undefined;
    return r?.label != null && wanted.has(r.label) ? 1 : 0;
  };
  return touched.reduce((d, { candid }) => d + has(candid, to) - has(candid, from), 0);
}
