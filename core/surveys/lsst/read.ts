/**
 * Fink LSST alert parquet → LsstBatch, with parquet-wasm + apache-arrow, read as core/alerts/parquet.ts reads ZTF
 * (parquet-stream.ts: row group by row group, an explicit list of leaf columns, cutouts only when asked).
 *
 * Works on every schema version Fink writes (7.x, 9.0, 10.0): the columns read are chosen by name from what the file
 * has, and a field a version lacks reads as null. `readLsstAlerts` also takes Rubin's own avro files.
 */
import type { ParquetFile } from 'parquet-wasm';
import { Type, type Field, type RecordBatch, type Schema } from 'apache-arrow';
import { AlertFileError } from '../../alerts/errors.js';
import { parquetWasm } from '../../alerts/parquet-wasm.js';
import {
  arrowSchema,
  noteTrap,
  openParquetFooter,
  openParquetHandle,
  release,
  streamRowGroup,
  type OpenParquet,
  type RowWindow,
} from '../../alerts/parquet-stream.js';
import { detectAlertFileKind } from '../../alerts/file-kind.js';
import { DEFAULT_LSST_BATCH_SIZE, type LsstBatch, type LsstCutouts, type LsstReadOptions } from './batch.js';
import { lsstBatchFromArrow, lsstCutoutsFromArrow } from './columns.js';
import { LsstIdError } from './ids.js';
import { readLsstAvro } from './avro.js';
import { wantedLeaf, isCutoutLeaf } from './plan.js';
import { isLsstSchema, lsstSchemaVersion, missingLsstFields, type LsstSchemaVersion, type SchemaShape } from './schema.js';

/** An opened, schema-checked LSST parquet file and the leaf columns to read from it. */
export interface LsstParquetFile extends OpenParquet {
  rowGroupRows: number[];
  numRows: number;
  version: LsstSchemaVersion;
  schema: Schema;
  /** Leaf paths read for alerts (without cutouts), e.g. `diaSource.psfFlux`, `prvDiaSources.list.element.band`. */
  columns: string[];
  cutoutColumns: string[];
}

function childFields(field: Field): Field[] {
  return (field.type as { children?: Field[] }).children ?? [];
}

export function shapeOfArrow(schema: Schema): SchemaShape {
  const children: Record<string, string[]> = {};
  for (const f of schema.fields) if (f.type.typeId === Type.Struct) children[f.name] = childFields(f).map((c) => c.name);
  return { fields: schema.fields.map((f) => f.name), children };
}

/** Parquet leaf paths as the writer lays them out (3-level lists: `name.list.<element name>`), from the Arrow schema. */
export function leafPaths(schema: Schema): string[][] {
  const out: string[][] = [];
  const walk = (field: Field, prefix: string[]): void => {
    const path = [...prefix, field.name];
    if (field.type.typeId === Type.Struct) childFields(field).forEach((c) => walk(c, path));
    else if (field.type.typeId === Type.List || field.type.typeId === Type.LargeList) walk(childFields(field)[0], [...path, 'list']);
    else out.push(path);
  };
  schema.fields.forEach((f) => walk(f, []));
  return out;
}

/** The schema shape of any parquet file (footer only), for recognising its survey before choosing a reader. */
export async function parquetSchemaShape(file: string): Promise<SchemaShape> {
  const wasm = parquetWasm();
  const handle = await openParquetHandle(file, wasm);
  try {
    return shapeOfArrow(arrowSchema(handle));
  } catch (e) {
    noteTrap(wasm, e);
    throw e;
  } finally {
    release({ handle, wasm });
  }
}

/** Why the schema is not an LSST alert schema, naming the first missing field. */
function checkSchema(file: string, shape: SchemaShape): void {
  if (isLsstSchema(shape)) return;
  const missing = missingLsstFields(shape);
  const ztf = shape.fields.includes('candidate') ? ' (looks like a ZTF alert file: it has candidate)' : '';
  throw new AlertFileError(file, missing[0], `not an LSST alert file: no ${missing.join(', ')}${ztf}`);
}

/** Leaf paths of row group 0 when there is one (the writer's own), else derived from the Arrow schema. */
function fileLeaves(handle: ParquetFile, schema: Schema): string[][] {
  const meta = handle.metadata();
  if (meta.numRowGroups() === 0) return leafPaths(schema);
  return meta.rowGroup(0).columns().map((c) => c.columnPath());
}

/** Opens and checks an LSST parquet file (footer and schema only). */
export function openLsstParquet(file: string): Promise<LsstParquetFile> {
  return openParquetFooter(file, (handle, wasm) => {
    const meta = handle.metadata();
    const rowGroupRows = Array.from({ length: meta.numRowGroups() }, (_, i) => meta.rowGroup(i).numRows());
    const schema = arrowSchema(handle);
    const shape = shapeOfArrow(schema);
    checkSchema(file, shape);
    const leaves = fileLeaves(handle, schema);
    return {
      file,
      rowGroupRows,
      numRows: rowGroupRows.reduce((a, b) => a + b, 0),
      version: lsstSchemaVersion(shape),
      schema,
      columns: leaves.filter(wantedLeaf).map((p) => p.join('.')),
      cutoutColumns: leaves.filter(isCutoutLeaf).map((p) => p.join('.')),
      handle,
      wasm,
    };
  });
}

function toBatch(pq: LsstParquetFile, batch: RecordBatch, firstRow: number, withCutouts: boolean): LsstBatch {
  try {
    return lsstBatchFromArrow(batch, { file: pq.file, firstRow, version: pq.version }, withCutouts);
  } catch (e) {
    if (e instanceof LsstIdError) throw new AlertFileError(pq.file, e.field, e.reason);
    throw e;
  }
}

const noStamps = (n: number): LsstCutouts => ({
  difference: new Array<null>(n).fill(null),
  science: new Array<null>(n).fill(null),
  template: new Array<null>(n).fill(null),
});

/**
 * The stamps of a window of rows of a row group, read on their own, as the ZTF reader does (core/alerts/parquet.ts):
 * the parquet reader loads each selected column chunk of a row group whole, and LSST stamps are ~100 kB an alert
 * (a 10k-alert row group read with its stamps took ~3 GB); a window loads only the pages it needs.
 */
async function readStampWindow(pq: LsstParquetFile, rowGroup: number, window: RowWindow): Promise<LsstCutouts> {
  const out = noStamps(0);
  for await (const batch of streamRowGroup(pq, rowGroup, pq.cutoutColumns, window.limit, window)) {
    const c = lsstCutoutsFromArrow(batch);
    out.difference.push(...c.difference);
    out.science.push(...c.science);
    out.template.push(...c.template);
  }
  if (out.science.length !== window.limit) {
    const got = `${out.science.length} rows of stamps instead of ${window.limit}`;
    throw new AlertFileError(pq.file, null, `corrupt data in row group ${rowGroup}: ${got} at row ${window.offset}`);
  }
  return out;
}

/** All alerts of a Fink LSST parquet file, batch by batch; a file with no rows yields nothing. */
export async function* readLsstParquet(file: string, opts: LsstReadOptions = {}): AsyncGenerator<LsstBatch> {
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_LSST_BATCH_SIZE);
  const withCutouts = opts.withCutouts ?? false;
  const pq = await openLsstParquet(file);
  try {
    const stamps = withCutouts && pq.cutoutColumns.length > 0;
    let row = 0;
    for (let g = 0; g < pq.rowGroupRows.length; g++) {
      if (pq.rowGroupRows[g] === 0) continue;
      let inGroup = 0;
      for await (const batch of streamRowGroup(pq, g, pq.columns, batchSize)) {
        const out = toBatch(pq, batch, row, false);
        if (withCutouts) out.cutouts = stamps ? await readStampWindow(pq, g, { offset: inGroup, limit: batch.numRows }) : noStamps(batch.numRows);
        inGroup += batch.numRows;
        row += batch.numRows;
        yield out;
      }
    }
  } finally {
    release(pq);
  }
}

/** LSST alerts of a parquet or avro file (told apart by their magic bytes). */
export async function* readLsstAlerts(file: string, opts: LsstReadOptions = {}): AsyncGenerator<LsstBatch> {
  const { kind } = await detectAlertFileKind(file);
  if (kind === 'avro') yield* readLsstAvro(file, opts);
  else yield* readLsstParquet(file, opts);
}
