/** An Arrow record batch of LSST alerts → an LsstBatch (columnar, one tight loop per column). */
import type { Data, RecordBatch } from 'apache-arrow';
import { childOf, toBinaries, toFloat64, toStrings } from '../../alerts/arrow-columns.js';
import type { LsstBatch, LsstCutouts } from './batch.js';
import { exactIds, LsstIdError, zeroAsNull } from './ids.js';
import { limitListFrom, sourceListFrom } from './lists.js';
import {
  DESIGNATION_PATHS,
  LSST_CUTOUTS,
  OBJECT_SUMMARY_FIELDS,
  SOURCE_FIELD_ALIASES,
  SOURCE_NUMBER_FIELDS,
  type LsstSchemaVersion,
  type SourceNumberField,
} from './schema.js';

function top(batch: RecordBatch, name: string): Data | undefined {
  return batch.getChild(name)?.data[0];
}

function sourceNumbers(source: Data | undefined, length: number): Record<SourceNumberField, Float64Array> {
  const out = {} as Record<SourceNumberField, Float64Array>;
  for (const f of SOURCE_NUMBER_FIELDS) {
    const alias = SOURCE_FIELD_ALIASES[f];
    out[f] = toFloat64(childOf(source, f) ?? (alias ? childOf(source, alias) : undefined), length);
  }
  return out;
}

function objectSummaries(object: Data | undefined, length: number): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const f of OBJECT_SUMMARY_FIELDS) out[f] = toFloat64(childOf(object, f), length);
  return out;
}

/** The first designation found, in the order of DESIGNATION_PATHS (only one is filled per version). */
function designations(batch: RecordBatch, length: number): (string | null)[] {
  const out = new Array<string | null>(length).fill(null);
  for (const [struct, field] of DESIGNATION_PATHS) {
    const values = toStrings(childOf(top(batch, struct), field), length);
    for (let i = 0; i < length; i++) out[i] ??= values[i];
  }
  return out;
}

/** The three stamps of every row of a batch (of the stamp columns, or of all columns). */
export function lsstCutoutsFromArrow(batch: RecordBatch): LsstCutouts {
  return cutoutsOf(batch, batch.numRows);
}

function cutoutsOf(batch: RecordBatch, length: number): LsstCutouts {
  return {
    difference: toBinaries(top(batch, LSST_CUTOUTS.difference), length),
    science: toBinaries(top(batch, LSST_CUTOUTS.science), length),
    template: toBinaries(top(batch, LSST_CUTOUTS.template), length),
  };
}

/** diaSourceId of every alert: required, exact; a null one names its row. */
function requiredIds(source: Data | undefined, length: number, firstRow: number): string[] {
  const ids = exactIds(childOf(source, 'diaSourceId'), length, 'diaSource.diaSourceId');
  const missing = ids.findIndex((v) => v === null);
  if (missing >= 0) throw new LsstIdError('diaSource.diaSourceId', `null at row ${firstRow + missing}`);
  return ids as string[];
}

export function lsstBatchFromArrow(
  batch: RecordBatch,
  where: { file: string; firstRow: number; version: LsstSchemaVersion },
  withCutouts: boolean,
): LsstBatch {
  const length = batch.numRows;
  const source = top(batch, 'diaSource');
  return {
    file: where.file,
    firstRow: where.firstRow,
    length,
    version: where.version,
    declaredVersion: toStrings(top(batch, 'lsst_schema_version'), length),
    diaSourceId: requiredIds(source, length, where.firstRow),
    diaObjectId: zeroAsNull(exactIds(childOf(source, 'diaObjectId'), length, 'diaSource.diaObjectId')),
    ssObjectId: zeroAsNull(exactIds(childOf(source, 'ssObjectId'), length, 'diaSource.ssObjectId')),
    band: toStrings(childOf(source, 'band'), length),
    source: sourceNumbers(source, length),
    prvDiaSources: sourceListFrom(top(batch, 'prvDiaSources'), length, 'diaSourceId', 'prvDiaSources'),
    prvDiaForcedSources: sourceListFrom(top(batch, 'prvDiaForcedSources'), length, 'diaForcedSourceId', 'prvDiaForcedSources'),
    prvDiaNondetectionLimits: limitListFrom(top(batch, 'prvDiaNondetectionLimits'), length),
    diaObject: objectSummaries(top(batch, 'diaObject'), length),
    ssDesignation: designations(batch, length),
    cutouts: withCutouts ? cutoutsOf(batch, length) : null,
  };
}
