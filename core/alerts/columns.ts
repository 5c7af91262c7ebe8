/**
 * A batch of alerts kept columnar: typed arrays and string arrays, one entry per alert.
 *
 * Why: ingest handles ~10^5 alerts per night file. Building one Alert object per row (plus its light-curve features
 * and scores records) kept a million small objects alive per batch, and the garbage collector spent a third of
 * the read time copying them. Ingest works from these columns; Alert objects are made on demand (`alertAt`) for
 * everything else (tests, the avro path's input, small tools).
 */
import type { Alert, Cutouts, LcFeatures } from './alert.js';
import { diffposFromCode, orNull } from './arrow-columns.js';
import { defineLazyHistory, type HistoryColumns } from './history.js';

/** A Fink light-curve feature struct column: the file's field names, one Float64Array per field (NaN = null). */
export interface LcFeatureColumns {
  names: string[];
  cols: Float64Array[];
  /** Per-row validity of the struct itself (1 = present), or null when every row is present. */
  valid: Uint8Array | null;
}

/**
 * A classifier score column: one number per row (NaN = absent), or per-row entries whose keys are already the final
 * score names (struct / map columns such as t2 become `t2_<key>`).
 */
export type ScoreColumn = { name: string; values: Float64Array } | { entries: (Array<[string, number]> | null)[] };

export interface AlertColumns {
  n: number;
  candid: string[];
  objectId: string[];
  /** Numbers: NaN = null. */
  jd: Float64Array;
  fid: Float64Array;
  ra: Float64Array;
  dec: Float64Array;
  magpsf: Float64Array;
  sigmapsf: Float64Array;
  diffmaglim: Float64Array;
  /** 1 = 't', -1 = 'f', 0 = null. */
  isdiffpos: Int8Array;
  drb: Float64Array;
  rb: Float64Array;
  nbad: Float64Array;
  ndethist: Float64Array;
  sgscore1: Float64Array;
  distpsnr1: Float64Array;
  ssdistnr: Float64Array;
  ssnamenr: (string | null)[];
  distnr: Float64Array;
  magnr: Float64Array;
  neargaia: Float64Array;
  maggaia: Float64Array;
  cdsxmatch: (string | null)[];
  roid: Float64Array;
  finkclass: (string | null)[];
  tnsclass: (string | null)[];
  sherlockSepArcsec: Float64Array;
  sherlockClass: (string | null)[];
  scores: ScoreColumn[];
  lcFeaturesG: LcFeatureColumns | null;
  lcFeaturesR: LcFeatureColumns | null;
  /** The gzipped FITS stamps (views into the batch's buffers), when the reader was asked for them. */
  cutouts: { science: (Uint8Array | null)[]; template: (Uint8Array | null)[]; difference: (Uint8Array | null)[] } | null;
}

/** Row r's light-curve feature record, or null when the struct is null or every field is null. */
export function lcFeaturesAt(lc: LcFeatureColumns | null, r: number): LcFeatures | null {
  if (!lc || (lc.valid && !lc.valid[r])) return null;
  const rec: LcFeatures = {};
  let any = false;
  for (let k = 0; k < lc.names.length; k++) {
    const v = lc.cols[k][r];
    if (Number.isNaN(v)) rec[lc.names[k]] = null;
    else {
      rec[lc.names[k]] = v;
      any = true;
    }
  }
  return any ? rec : null;
}

/** Row r's light-curve features as numbers in the order of `names` (NaN = absent); false when the row has none. */
export function lcFeaturesInto(lc: LcFeatureColumns | null, r: number, index: Int32Array, out: Float64Array, at: number): boolean {
  let any = false;
  for (let k = 0; k < index.length; k++) {
    const j = index[k];
    const v = lc && j >= 0 && !(lc.valid && !lc.valid[r]) ? lc.cols[j][r] : NaN;
    out[at + k] = v;
    if (!Number.isNaN(v)) any = true;
  }
  return any;
}

/** For lcFeaturesInto: where each of `wanted` sits among the column's fields (-1 = not in this file). */
export function lcFeatureIndex(lc: LcFeatureColumns | null, wanted: readonly string[]): Int32Array {
  return Int32Array.from(wanted, (name) => (lc ? lc.names.indexOf(name) : -1));
}

/** Row r's classifier scores, keys in column order. */
export function scoresAt(scores: readonly ScoreColumn[], r: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of scores) {
    if ('values' in s) {
      const v = s.values[r];
      if (!Number.isNaN(v)) out[s.name] = v;
    } else {
      const e = s.entries[r];
      if (e) for (const [k, v] of e) out[k] = v;
    }
  }
  return out;
}

function cutoutsAt(c: AlertColumns, r: number): Cutouts | undefined {
  if (!c.cutouts) return undefined;
  // Copied so a kept Alert does not pin the whole batch buffer.
  const copy = (b: Uint8Array | null): Uint8Array | null => (b ? b.slice() : null);
  return { science: copy(c.cutouts.science[r]), template: copy(c.cutouts.template[r]), difference: copy(c.cutouts.difference[r]) };
}

/** ZTF writes the string "null" when no solar-system object is near. */
export function cleanSsName(v: string | null): string | null {
  return v == null || v === '' || v === 'null' ? null : v;
}

/** Row r as an Alert; its history is read lazily from `history`. */
export function alertAt(c: AlertColumns, history: HistoryColumns, r: number): Alert {
  const alert: Alert = {
    candid: c.candid[r],
    objectId: c.objectId[r],
    jd: c.jd[r],
    fid: c.fid[r],
    ra: c.ra[r],
    dec: c.dec[r],
    magpsf: orNull(c.magpsf[r]),
    sigmapsf: orNull(c.sigmapsf[r]),
    diffmaglim: orNull(c.diffmaglim[r]),
    isdiffpos: diffposFromCode(c.isdiffpos[r]),
    drb: orNull(c.drb[r]),
    rb: orNull(c.rb[r]),
    nbad: orNull(c.nbad[r]),
    ndethist: orNull(c.ndethist[r]),
    sgscore1: orNull(c.sgscore1[r]),
    distpsnr1: orNull(c.distpsnr1[r]),
    ssdistnr: orNull(c.ssdistnr[r]),
    ssnamenr: c.ssnamenr[r],
    distnr: orNull(c.distnr[r]),
    magnr: orNull(c.magnr[r]),
    neargaia: orNull(c.neargaia[r]),
    maggaia: orNull(c.maggaia[r]),
    history: [],
    cdsxmatch: c.cdsxmatch[r],
    roid: orNull(c.roid[r]),
    finkclass: c.finkclass[r],
    tnsclass: c.tnsclass[r],
    scores: scoresAt(c.scores, r),
    lcFeaturesG: lcFeaturesAt(c.lcFeaturesG, r),
    lcFeaturesR: lcFeaturesAt(c.lcFeaturesR, r),
    sherlockSepArcsec: orNull(c.sherlockSepArcsec[r]),
    sherlockClass: c.sherlockClass[r],
  };
  defineLazyHistory(alert, history, r);
  const cut = cutoutsAt(c, r);
  if (cut) alert.cutouts = cut;
  return alert;
}

const nan = (v: number | null | undefined): number => (v === null || v === undefined ? NaN : v);
const diffposCode = (v: 't' | 'f' | null): number => (v === 't' ? 1 : v === 'f' ? -1 : 0);

function lcColumnsOf(records: readonly (LcFeatures | null)[]): LcFeatureColumns | null {
  const names: string[] = [];
  for (const rec of records) if (rec) for (const k of Object.keys(rec)) if (!names.includes(k)) names.push(k);
  if (names.length === 0) return null;
  const cols = names.map((k) => Float64Array.from(records, (rec) => nan(rec?.[k])));
  return { names, cols, valid: Uint8Array.from(records, (rec) => (rec ? 1 : 0)) };
}

/** Alert objects → columns (the avro reader's records, hand-made alerts in tests). */
export function columnsFromAlerts(alerts: readonly Alert[]): AlertColumns {
  const f = (get: (a: Alert) => number | null): Float64Array => Float64Array.from(alerts, (a) => nan(get(a)));
  const s = (get: (a: Alert) => string | null): (string | null)[] => alerts.map(get);
  const withCutouts = alerts.some((a) => a.cutouts);
  return {
    n: alerts.length,
    candid: alerts.map((a) => a.candid),
    objectId: alerts.map((a) => a.objectId),
    jd: f((a) => a.jd),
    fid: f((a) => a.fid),
    ra: f((a) => a.ra),
    dec: f((a) => a.dec),
    magpsf: f((a) => a.magpsf),
    sigmapsf: f((a) => a.sigmapsf),
    diffmaglim: f((a) => a.diffmaglim),
    isdiffpos: Int8Array.from(alerts, (a) => diffposCode(a.isdiffpos)),
    drb: f((a) => a.drb),
    rb: f((a) => a.rb),
    nbad: f((a) => a.nbad),
    ndethist: f((a) => a.ndethist),
    sgscore1: f((a) => a.sgscore1),
    distpsnr1: f((a) => a.distpsnr1),
    ssdistnr: f((a) => a.ssdistnr),
    ssnamenr: s((a) => a.ssnamenr),
    distnr: f((a) => a.distnr ?? null),
    magnr: f((a) => a.magnr ?? null),
    neargaia: f((a) => a.neargaia ?? null),
    maggaia: f((a) => a.maggaia ?? null),
    cdsxmatch: s((a) => a.cdsxmatch),
    roid: f((a) => a.roid),
    finkclass: s((a) => a.finkclass),
    tnsclass: s((a) => a.tnsclass),
    sherlockSepArcsec: f((a) => a.sherlockSepArcsec),
    sherlockClass: s((a) => a.sherlockClass),
    scores: [{ entries: alerts.map((a) => Object.entries(a.scores)) }],
    lcFeaturesG: lcColumnsOf(alerts.map((a) => a.lcFeaturesG)),
    lcFeaturesR: lcColumnsOf(alerts.map((a) => a.lcFeaturesR)),
    cutouts: withCutouts
      ? {
          science: alerts.map((a) => a.cutouts?.science ?? null),
          template: alerts.map((a) => a.cutouts?.template ?? null),
          difference: alerts.map((a) => a.cutouts?.difference ?? null),
        }
      : null,
  };
}
