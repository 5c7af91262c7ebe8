import type { AlertCard, CardContext, LcPointDto, ObjectLabel } from '../api/types.js';
import { orNull } from '../alerts/arrow-columns.js';
import { nearbySources, type NearbySources } from '../alerts/nearby-sources.js';
import { icrsToGalactic } from '../features/coords.js';
import { ztfValue } from '../features/extended.js';
import { isLabel, type Label } from '../labels.js';
import { currentLabel } from './labels.js';
import { readCutouts } from './cutouts.js';
import { decodeLc, mergePacked } from '../features/packed-lc.js';
import { finkObjectUrl, lasairObjectUrl } from '../urls.js';
import { jdToDate } from '../util/time.js';
import type { Db } from './database.js';
import { blobToVector, featureNames } from './features.js';
import { FEATURE_SET_VERSION } from '../features/names.js';

interface AlertRow extends NearbySources {
  candid: string;
  object_id: string;
  jd: number;
  night: string;
  fid: number;
  ra: number;
  dec: number;
  magpsf: number | null;
  sigmapsf: number | null;
  drb: number | null;
  rb: number | null;
  cdsxmatch: string | null;
  finkclass: string | null;
  tnsclass: string | null;
  roid: number | null;
  scores_json: string;
  isdiffpos: string | null;
  ssnamenr: string | null;
  ssdistnr: number | null;
}

const b64 = (b: Buffer | null | undefined): string | null => (b ? b.toString('base64') : null);

function cardContext(a: AlertRow, ebv: number | null): CardContext {
  const ssdistnr = orNull(ztfValue(a.ssdistnr));
  return {
    ...nearbySources((field) => orNull(ztfValue(a[field]))),
    // ZTF names a solar-system object only when one is near; a name without a distance is kept as is.
    ssnamenr: a.ssnamenr,
    ssdistnr,
    isdiffpos: a.isdiffpos === 't' || a.isdiffpos === 'f' ? a.isdiffpos : null,
    galB: icrsToGalactic(a.ra, a.dec).b,
    ebv,
  };
}

/**
 * Current human labels of the object's other alerts, oldest alert first. Looked up alert by alert (an object has a
 * few): a query over every label event cost ~14 ms per card with 20k labels, at each key press.
 */
function objectLabels(db: Db, objectId: string, candid: string): ObjectLabel[] {
  const others = db
    .prepare('SELECT candid, jd FROM alerts WHERE object_id = ? AND candid <> ? ORDER BY jd, candid')
    .all(objectId, candid) as { candid: string; jd: number }[];
  return others.flatMap((o) => {
    const l = currentLabel(db, o.candid);
    return l ? [{ candid: o.candid, jd: o.jd, label: l.label, at: l.at }] : [];
  });
}

/** Everything the label card shows, except the proposal (added by the loop). Undefined when the candid is unknown. */
export function alertCard(db: Db, candid: string): Omit<AlertCard, 'proposal'> | undefined {
  const a = db.prepare('SELECT * FROM alerts WHERE candid = ?').get(candid) as AlertRow | undefined;
  if (!a) return undefined;
  const names = featureNames(db);
  const f = db
    .prepare('SELECT vector FROM features WHERE candid = ? AND feature_set = ?')
    .get(candid, FEATURE_SET_VERSION) as { vector: Buffer } | undefined;
  const vec = f ? blobToVector(f.vector) : null;
  const features: Record<string, number | null> = {};
  names.forEach((n, i) => {
    const v = vec ? vec[i] : NaN;
    features[n] = Number.isFinite(v) ? v : null;
  });
  // The object's light curve as known at this alert: nothing from the future leaks into the judgement.
  const blobs = db
    .prepare(
      `SELECT l.candid, l.data FROM alert_lc l JOIN alerts o ON o.candid = l.candid WHERE o.object_id = ? AND o.jd <= ? + 1e-6`,
    )
    .all(a.object_id, a.jd) as { candid: string; data: Buffer }[];
  const lightcurve: LcPointDto[] = mergePacked(blobs.map((b) => decodeLc(b.data, `alert_lc of candid ${b.candid}`)), a.jd);
  const c = readCutouts(db, candid);
  const history = db
    .prepare(
      `SELECT label, source, action, created_at AS at FROM label_events WHERE candid = ? ORDER BY id`,
    )
    .all(candid) as { label: string | null; source: string; action: string; at: string }[];
  const label: Label | null = currentLabel(db, candid)?.label ?? null;
  return {
    candid: a.candid,
    objectId: a.object_id,
    jd: a.jd,
    date: jdToDate(a.jd).toISOString(),
    night: a.night,
    ra: a.ra,
    dec: a.dec,
    fid: a.fid,
    magpsf: a.magpsf,
    sigmapsf: a.sigmapsf,
    drb: a.drb,
    rb: a.rb,
    features,
    lightcurve,
    cutouts: { science: b64(c?.science), template: b64(c?.template), difference: b64(c?.difference) },
    fink: {
      cdsxmatch: a.cdsxmatch,
      finkclass: a.finkclass,
      tnsclass: a.tnsclass,
      roid: a.roid,
      scores: JSON.parse(a.scores_json) as Record<string, number>,
    },
    label,
    labelHistory: history.map((h) => ({ ...h, label: isLabel(h.label) ? h.label : null })),
    context: cardContext(a, features.ebv ?? null),
    objectLabels: objectLabels(db, a.object_id, a.candid),
    links: { lasair: lasairObjectUrl(a.object_id), fink: finkObjectUrl(a.object_id) },
    survey: 'ztf',
    lsst: null,
  };
}
