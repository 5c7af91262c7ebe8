/**
 * One Arrow record batch of Fink/ZTF alert columns → normalised Alerts, column by column.
 * The parquet reader selects the columns (fink-columns.ts); whatever writer produced them, the types are
 * normalised by arrow-columns.ts.
 */
import { Type, type Data, type RecordBatch } from 'apache-arrow';
import { AlertFileError } from './errors.js';
import {
  InexactIdError,
  childOf,
  fieldNames,
  toBinaries,
  toDecimalStrings,
  toDiffposCodes,
  toFloat64,
  toNumberEntries,
  toStrings,
  validityOf,
} from './arrow-columns.js';
import { HistoryBuilder, type HistoryColumns } from './history.js';
import { cleanSsName, type AlertColumns, type LcFeatureColumns, type ScoreColumn } from './columns.js';
import { CUTOUT_COLUMNS, LC_FEATURE_COLUMNS, isScoreColumn } from './fink-columns.js';
import { makeBatch, type AlertBatch } from './batch.js';

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

function lcFeaturesOf(data: Data | undefined, rows: number): LcFeatureColumns | null {
  if (!data || data.typeId !== Type.Struct) return null;
  return { names: fieldNames(data), cols: data.children.map((c) => toFloat64(c, rows)), valid: validityOf(data) };
}

/** Score columns present in the batch: numeric ones as they are, struct / map ones as `<column>_<key>` entries. */
function scoresOf(batch: RecordBatch, rows: number): ScoreColumn[] {
  const out: ScoreColumn[] = [];
  for (const field of batch.schema.fields) {
    if (!isScoreColumn(field.name)) continue;
    const data = column(batch, field.name);
    if (!data || data.typeId === Type.Null || data.typeId === Type.Bool) continue;
    if (data.typeId === Type.Struct || data.typeId === Type.Map) {
      const entries = toNumberEntries(data, rows);
      out.push({ entries: entries.map((e) => (e ? e.map(([k, v]): [string, number] => [`${field.name}_${k}`, v]) : null)) });
    } else out.push({ name: field.name, values: toFloat64(data, rows) });
  }
  return out;
}

/** The stamps as views into the batch's buffer: ingest writes them out before the next batch. */
export function cutoutsOf(batch: RecordBatch, rows: number): NonNullable<AlertColumns['cutouts']> {
  const get = (name: string) => toBinaries(childOf(column(batch, name), 'stampData'), rows, false);
  return { science: get(CUTOUT_COLUMNS.science), template: get(CUTOUT_COLUMNS.template), difference: get(CUTOUT_COLUMNS.difference) };
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
  if (candValid) {
    const bad = candValid.indexOf(0);
    if (bad >= 0) throw new AlertFileError(file, 'candidate', `row ${firstRow + bad} has a null candidate`);
  }
  const c: AlertColumns = {
    n: rows,
    candid: candids as string[],
    objectId: objectIds as string[],
    jd: num('jd'),
    fid: num('fid'),
    ra: num('ra'),
    dec: num('dec'),
    magpsf: num('magpsf'),
    sigmapsf: num('sigmapsf'),
    diffmaglim: num('diffmaglim'),
    isdiffpos: toDiffposCodes(childOf(cand, 'isdiffpos'), rows),
    drb: num('drb'),
    rb: num('rb'),
    nbad: num('nbad'),
    ndethist: num('ndethist'),
    sgscore1: num('sgscore1'),
    distpsnr1: num('distpsnr1'),
    ssdistnr: num('ssdistnr'),
    ssnamenr: toStrings(childOf(cand, 'ssnamenr'), rows).map(cleanSsName),
    distnr: num('distnr'),
    magnr: num('magnr'),
    neargaia: num('neargaia'),
    maggaia: num('maggaia'),
    cdsxmatch: toStrings(column(batch, 'cdsxmatch'), rows),
    roid: toFloat64(column(batch, 'roid'), rows),
    finkclass: toStrings(column(batch, 'finkclass'), rows),
    tnsclass: toStrings(column(batch, 'tnsclass'), rows),
    sherlockSepArcsec: toFloat64(column(batch, 'sep_arcsec'), rows),
    sherlockClass: toStrings(column(batch, 'sherl_class'), rows),
    scores: scoresOf(batch, rows),
    lcFeaturesG: lcFeaturesOf(column(batch, LC_FEATURE_COLUMNS[0]), rows),
    lcFeaturesR: lcFeaturesOf(column(batch, LC_FEATURE_COLUMNS[1]), rows),
    cutouts: withCutouts ? cutoutsOf(batch, rows) : null,
  };
  for (const name of ['jd', 'fid', 'ra', 'dec'] as const) {
    const bad = c[name].findIndex(Number.isNaN);
    if (bad >= 0) throw new AlertFileError(file, `candidate.${name}`, `row ${firstRow + bad} has a null ${name}`);
  }
  return makeBatch(file, firstRow, c, historyOf(column(batch, 'prv_candidates'), rows));
}
