/**
 * One Arrow record batch of Fink/ZTF alert columns → normalised Alerts, column by column.
 * The parquet reader selects the columns (fink-columns.ts); whatever writer produced them, the types are
 * normalised by arrow-columns.ts.
 */
import { Type, type Data, type RecordBatch } from 'apache-arrow';
import type { Alert, Cutouts, LcFeatures } from './alert.js';
import { AlertFileError } from './errors.js';
import {
  InexactIdError,
  childOf,
  diffposFromCode,
  fieldNames,
  orNull,
  toBinaries,
  toDecimalStrings,
  toDiffposCodes,
  toFloat64,
  toNumberEntries,
  toStrings,
  validityOf,
} from './arrow-columns.js';
import { HistoryBuilder, defineLazyHistory, type HistoryColumns } from './history.js';
import { CUTOUT_COLUMNS, LC_FEATURE_COLUMNS, isScoreColumn } from './fink-columns.js';
import type { AlertBatch } from './batch.js';

function column(batch: RecordBatch, name: string): Data | undefined {
  return batch.getChild(name)?.data[0];
}

/** Exact candids of a batch: the top-level column, else candidate.candid. */
export function candidsOf(batch: RecordBatch, file: string, firstRow: number): (string | null)[] {
  const top = column(batch, 'candid');
  const data = top ?? childOf(column(batch, 'candidate'), 'candid');
  try {
    return toDecimalStrings(data, batch.numRows);
  } catch (e) {
    if (e instanceof InexactIdError) {
      throw new AlertFileError(file, top ? 'candid' : 'candidate.candid', `${e.message} (batch from row ${firstRow})`);
    }
    throw e;
  }
}

/** Throws an AlertFileError naming the first row whose objectId or candid is null. */
export function checkIds(
  file: string,
  firstRow: number,
  objectIds: (string | null)[],
  candids: (string | null)[],
): void {
  for (let i = 0; i < objectIds.length; i++) {
    if (objectIds[i] == null || objectIds[i] === '') {
      throw new AlertFileError(file, 'objectId', `row ${firstRow + i} has a null objectId`);
    }
    if (candids[i] == null) throw new AlertFileError(file, 'candid', `row ${firstRow + i} has a null candid`);
  }
}

function historyOf(prv: Data | undefined, rows: number): HistoryColumns {
  if (!prv || (prv.typeId !== Type.List && prv.typeId !== Type.LargeList) || prv.children.length === 0) {
    const empty = new HistoryBuilder(rows, 0);
    for (let r = 0; r < rows; r++) empty.endRow();
    return empty.finish();
  }
  const offs = prv.valueOffsets as ArrayLike<number | bigint>;
  const listValid = validityOf(prv);
  const items = prv.children[0];
  const n = items.length;
  const itemValid = items.typeId === Type.Null ? new Uint8Array(n) : validityOf(items);
  const jd = toFloat64(childOf(items, 'jd'), n);
  const fid = toFloat64(childOf(items, 'fid'), n);
  const magpsf = toFloat64(childOf(items, 'magpsf'), n);
  const sigmapsf = toFloat64(childOf(items, 'sigmapsf'), n);
  const diffmaglim = toFloat64(childOf(items, 'diffmaglim'), n);
  const isdiffpos = toDiffposCodes(childOf(items, 'isdiffpos'), n);
  const b = new HistoryBuilder(rows, n);
  for (let r = 0; r < rows; r++) {
    if (!listValid || listValid[r]) {
      const end = Number(offs[r + 1]);
      for (let k = Number(offs[r]); k < end; k++) {
        // A null element, or one without an epoch or band, is no light-curve point.
        if ((itemValid && !itemValid[k]) || Number.isNaN(jd[k]) || Number.isNaN(fid[k])) continue;
        b.push(jd[k], fid[k], magpsf[k], sigmapsf[k], diffmaglim[k], isdiffpos[k]);
      }
    }
    b.endRow();
  }
  return b.finish();
}

function lcFeaturesOf(data: Data | undefined, rows: number): (LcFeatures | null)[] {
  const out = new Array<LcFeatures | null>(rows).fill(null);
  if (!data || data.typeId !== Type.Struct) return out;
  const valid = validityOf(data);
  const names = fieldNames(data);
  const cols = data.children.map((c) => toFloat64(c, rows));
  for (let r = 0; r < rows; r++) {
    if (valid && !valid[r]) continue;
    const rec: LcFeatures = {};
    let any = false;
    for (let k = 0; k < names.length; k++) {
      const v = cols[k][r];
      if (Number.isNaN(v)) rec[names[k]] = null;
      else {
        rec[names[k]] = v;
        any = true;
      }
    }
    if (any) out[r] = rec;
  }
  return out;
}

/** Score columns present in the batch → per-row numeric entries. */
function scoresOf(batch: RecordBatch, rows: number): Record<string, number>[] {
  const out: Record<string, number>[] = Array.from({ length: rows }, () => ({}));
  for (const field of batch.schema.fields) {
    if (!isScoreColumn(field.name)) continue;
    const data = column(batch, field.name);
    if (!data || data.typeId === Type.Null || data.typeId === Type.Bool) continue;
    if (data.typeId === Type.Struct || data.typeId === Type.Map) {
      const entries = toNumberEntries(data, rows);
      for (let r = 0; r < rows; r++) {
        const e = entries[r];
        if (e) for (const [k, v] of e) out[r][`${field.name}_${k}`] = v;
      }
    } else {
      const vals = toFloat64(data, rows);
      for (let r = 0; r < rows; r++) if (!Number.isNaN(vals[r])) out[r][field.name] = vals[r];
    }
  }
  return out;
}

function cutoutsOf(batch: RecordBatch, rows: number): Cutouts[] {
  const get = (name: string) => toBinaries(childOf(column(batch, name), 'stampData'), rows);
  const sci = get(CUTOUT_COLUMNS.science);
  const tpl = get(CUTOUT_COLUMNS.template);
  const dif = get(CUTOUT_COLUMNS.difference);
  return sci.map((s, r) => ({ science: s, template: tpl[r], difference: dif[r] }));
}

/** ZTF writes the string "null" when no solar-system object is near. */
function cleanSsName(v: string | null): string | null {
  return v == null || v === '' || v === 'null' ? null : v;
}

export function alertsFromArrowBatch(
  batch: RecordBatch,
  file: string,
  firstRow: number,
  withCutouts: boolean,
): AlertBatch {
  const rows = batch.numRows;
  const cand = column(batch, 'candidate');
  const candValid = cand ? validityOf(cand) : null;
  const num = (name: string) => toFloat64(childOf(cand, name), rows);
  const objectIds = toStrings(column(batch, 'objectId'), rows);
  const candids = candidsOf(batch, file, firstRow);
  checkIds(file, firstRow, objectIds, candids);

  const jd = num('jd');
  const fid = num('fid');
  const ra = num('ra');
  const dec = num('dec');
  const magpsf = num('magpsf');
  const sigmapsf = num('sigmapsf');
  const diffmaglim = num('diffmaglim');
  const isdiffpos = toDiffposCodes(childOf(cand, 'isdiffpos'), rows);
  const drb = num('drb');
  const rb = num('rb');
  const nbad = num('nbad');
  const ndethist = num('ndethist');
  const sgscore1 = num('sgscore1');
  const distpsnr1 = num('distpsnr1');
  const ssdistnr = num('ssdistnr');
  const ssnamenr = toStrings(childOf(cand, 'ssnamenr'), rows);

  const cdsxmatch = toStrings(column(batch, 'cdsxmatch'), rows);
  const finkclass = toStrings(column(batch, 'finkclass'), rows);
  const tnsclass = toStrings(column(batch, 'tnsclass'), rows);
  const sherlClass = toStrings(column(batch, 'sherl_class'), rows);
  const roid = toFloat64(column(batch, 'roid'), rows);
  const sepArcsec = toFloat64(column(batch, 'sep_arcsec'), rows);
  const lcG = lcFeaturesOf(column(batch, LC_FEATURE_COLUMNS[0]), rows);
  const lcR = lcFeaturesOf(column(batch, LC_FEATURE_COLUMNS[1]), rows);
  const scores = scoresOf(batch, rows);
  const history = historyOf(column(batch, 'prv_candidates'), rows);
  const cutouts = withCutouts ? cutoutsOf(batch, rows) : null;

  const required = [['jd', jd], ['fid', fid], ['ra', ra], ['dec', dec]] as const;
  const alerts = new Array<Alert>(rows);
  for (let r = 0; r < rows; r++) {
    if (candValid && !candValid[r]) {
      throw new AlertFileError(file, 'candidate', `row ${firstRow + r} has a null candidate`);
    }
    for (const [name, v] of required) {
      if (Number.isNaN(v[r])) throw new AlertFileError(file, `candidate.${name}`, `row ${firstRow + r} has a null ${name}`);
    }
    const alert: Alert = {
      candid: candids[r] as string,
      objectId: objectIds[r] as string,
      jd: jd[r],
      fid: fid[r],
      ra: ra[r],
      dec: dec[r],
      magpsf: orNull(magpsf[r]),
      sigmapsf: orNull(sigmapsf[r]),
      diffmaglim: orNull(diffmaglim[r]),
      isdiffpos: diffposFromCode(isdiffpos[r]),
      drb: orNull(drb[r]),
      rb: orNull(rb[r]),
      nbad: orNull(nbad[r]),
      ndethist: orNull(ndethist[r]),
      sgscore1: orNull(sgscore1[r]),
      distpsnr1: orNull(distpsnr1[r]),
      ssdistnr: orNull(ssdistnr[r]),
      ssnamenr: cleanSsName(ssnamenr[r]),
      history: [],
      cdsxmatch: cdsxmatch[r],
      roid: orNull(roid[r]),
      finkclass: finkclass[r],
      tnsclass: tnsclass[r],
      scores: scores[r],
      lcFeaturesG: lcG[r],
      lcFeaturesR: lcR[r],
      sherlockSepArcsec: orNull(sepArcsec[r]),
      sherlockClass: sherlClass[r],
    };
    defineLazyHistory(alert, history, r);
    if (cutouts) alert.cutouts = cutouts[r];
    alerts[r] = alert;
  }
  return { file, firstRow, alerts, history };
}
