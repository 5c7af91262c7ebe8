import type { AlertCard, CardContext, LcPointDto } from '../api/types.js';
import { orNull } from '../alerts/arrow-columns.js';
import { nearbySources, type NearbySources } from '../alerts/nearby-sources.js';
import { icrsToGalactic } from '../features/coords.js';
import { ztfValue } from '../features/extended.js';
import { decodeLc, mergePacked } from '../features/packed-lc.js';
import { surveyLinks } from '../surveys/registry.js';
import type { Db } from './database.js';
import { featureNames } from './features.js';
import { FEATURE_SET_VERSION } from '../features/names.js';
import { cardFeatures, commonCard } from './card-parts.js';
import { lsstAlertCard } from './lsst-card.js';

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
  survey: string;
}

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

/** Everything the label card shows, except the proposal (added by the loop). Undefined when the candid is unknown. */
export function alertCard(db: Db, candid: string): Omit<AlertCard, 'proposal'> | undefined {
  const a = db.prepare('SELECT * FROM alerts WHERE candid = ?').get(candid) as AlertRow | undefined;
  if (!a) return undefined;
  if (a.survey === 'lsst') return lsstAlertCard(db, a);
  const features = cardFeatures(db, candid, FEATURE_SET_VERSION, featureNames(db));
  // The object's light curve as known at this alert: nothing from the future leaks into the judgement.
  const blobs = db
    .prepare(
      `SELECT l.candid, l.data FROM alert_lc l JOIN alerts o ON o.candid = l.candid WHERE o.object_id = ? AND o.jd <= ? + 1e-6`,
    )
    .all(a.object_id, a.jd) as { candid: string; data: Buffer }[];
  const lightcurve: LcPointDto[] = mergePacked(blobs.map((b) => decodeLc(b.data, `alert_lc of candid ${b.candid}`)), a.jd);
  return {
    ...commonCard(db, a),
    fid: a.fid,
    drb: a.drb,
    rb: a.rb,
    features,
    lightcurve,
    fink: {
      cdsxmatch: a.cdsxmatch,
      finkclass: a.finkclass,
      tnsclass: a.tnsclass,
      roid: a.roid,
      scores: JSON.parse(a.scores_json) as Record<string, number>,
    },
    context: cardContext(a, features.ebv ?? null),
    links: surveyLinks('ztf', { objectId: a.object_id }),
    survey: 'ztf',
    lsst: null,
  };
}
