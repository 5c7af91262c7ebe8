/** Card fields every survey's card shows alike: the alert's labels, its history, its object's other labels, its stamps. */
import { finiteOrNull } from '../alerts/arrow-columns.js';
import type { AlertCard, ObjectLabel } from '../api/types.js';
import { isLabel, type Label } from '../labels.js';
import { jdToDate } from '../util/time.js';
import { readCutouts } from './cutouts.js';
import type { Db } from './database.js';
import { blobToVector } from './features.js';
import { currentLabel } from './labels.js';

const b64 = (b: Buffer | null | undefined): string | null => (b ? b.toString('base64') : null);

/** The stamps as stored (ZTF: gzip-compressed FITS; LSST: FITS as in the file), base64. */
export function cardCutouts(db: Db, candid: string): AlertCard['cutouts'] {
  const c = readCutouts(db, candid);
  return { science: b64(c?.science), template: b64(c?.template), difference: b64(c?.difference) };
}

/**
 * Current human labels of the object's other alerts, oldest alert first. Looked up alert by alert (an object has a
 * few): a query over every label event cost ~14 ms per card with 20k labels, at each key press.
 */
export function objectLabels(db: Db, objectId: string, candid: string): ObjectLabel[] {
  const others = db
    .prepare('SELECT candid, jd FROM alerts WHERE object_id = ? AND candid <> ? ORDER BY jd, candid')
    .all(objectId, candid) as { candid: string; jd: number }[];
  return others.flatMap((o) => {
    const l = currentLabel(db, o.candid);
    return l ? [{ candid: o.candid, jd: o.jd, label: l.label, at: l.at }] : [];
  });
}

/** The alert's current label and every label event of it, oldest first. */
export function cardLabels(db: Db, candid: string): Pick<AlertCard, 'label' | 'labelHistory'> {
  const history = db
    .prepare(`SELECT label, source, action, created_at AS at FROM label_events WHERE candid = ? ORDER BY id`)
    .all(candid) as { label: string | null; source: string; action: string; at: string }[];
  const label: Label | null = currentLabel(db, candid)?.label ?? null;
  return { label, labelHistory: history.map((h) => ({ ...h, label: isLabel(h.label) ? h.label : null })) };
}

/** A stored feature vector by name (null = missing), for `version`'s names. */
export function cardFeatures(db: Db, candid: string, version: string, names: readonly string[]): Record<string, number | null> {
  const f = db.prepare('SELECT vector FROM features WHERE candid = ? AND feature_set = ?').get(candid, version) as { vector: Buffer } | undefined;
  const vec = f ? blobToVector(f.vector) : null;
  const out: Record<string, number | null> = {};
  names.forEach((n, i) => {
    out[n] = vec ? finiteOrNull(vec[i]) : null;
  });
  return out;
}

/** The `alerts` columns every survey's card shows. */
export interface CommonAlertRow {
  candid: string;
  object_id: string;
  jd: number;
  night: string;
  ra: number;
  dec: number;
  magpsf: number | null;
  sigmapsf: number | null;
}

/** The card's fields every survey has, and what the person judged it by so far (labels, the object's other labels). */
export function commonCard(
  db: Db,
  a: CommonAlertRow,
): Pick<AlertCard, 'candid' | 'objectId' | 'jd' | 'date' | 'night' | 'ra' | 'dec' | 'magpsf' | 'sigmapsf' | 'cutouts' | 'label' | 'labelHistory' | 'objectLabels'> {
  return {
    candid: a.candid,
    objectId: a.object_id,
    jd: a.jd,
    date: jdToDate(a.jd).toISOString(),
    night: a.night,
    ra: a.ra,
    dec: a.dec,
    magpsf: a.magpsf,
    sigmapsf: a.sigmapsf,
    cutouts: cardCutouts(db, a.candid),
    ...cardLabels(db, a.candid),
    objectLabels: objectLabels(db, a.object_id, a.candid),
  };
}
