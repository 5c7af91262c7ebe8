/**
 * How many candids have a current label among a set of labels, kept up to date from the events appended since the
 * last count. The loop state asks it on every label; recounting the whole history each time grows with the store.
 * Exact because label events are append-only (never updated or deleted) and ids only grow: the candids with events
 * after the last counted id are the only ones whose current label can differ. Writers in other processes are seen
 * the same way. Per connection, so a reopened store starts with a full count.
 */
import type { Label } from '../labels.js';
import type { Db } from './database.js';
import { countLabelledAs, LABELLING } from './labels.js';

/** Past this many new events (e.g. an import), one full count is cheaper than a lookup per candid. */
const MAX_DELTA_EVENTS = 2000;

interface Tally {
  lastId: number;
  n: number;
}

const tallies = new WeakMap<Db, Map<string, Tally>>();

function lastEventId(db: Db): number {
  return (db.prepare('SELECT COALESCE(MAX(id), 0) AS id FROM label_events').get() as { id: number }).id;
}

/** countLabelledAs(db, labels), from the previous count plus the candids whose events came since. */
export function tallyLabelledAs(db: Db, labels: readonly Label[]): number {
  const key = [...labels].sort().join(',');
  let perDb = tallies.get(db);
  if (!perDb) tallies.set(db, (perDb = new Map()));
  const lastId = lastEventId(db);
  const t = perDb.get(key);
  if (t && t.lastId === lastId) return t.n;
  const n = t && lastId > t.lastId && lastId - t.lastId <= MAX_DELTA_EVENTS ? t.n + delta(db, labels, t.lastId, lastId) : countLabelledAs(db, labels);
  perDb.set(key, { lastId, n });
  return n;
}

/** Change of the count between the states as of event ids `from` and `to`. */
function delta(db: Db, labels: readonly Label[], from: number, to: number): number {
  const wanted = new Set<string>(labels);
  const touched = db
    .prepare(`SELECT DISTINCT candid FROM label_events WHERE id > ? AND id <= ? AND ${LABELLING}`)
    .all(from, to) as { candid: string }[];
  const labelAt = db.prepare(
    `SELECT label FROM label_events WHERE candid = ? AND id <= ? AND ${LABELLING} ORDER BY id DESC LIMIT 1`,
  );
  const has = (candid: string, at: number): number => {
    const r = labelAt.get(candid, at) as { label: string | null } | undefined;
    return r?.label != null && wanted.has(r.label) ? 1 : 0;
  };
  return touched.reduce((d, { candid }) => d + has(candid, to) - has(candid, from), 0);
}
