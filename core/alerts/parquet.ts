/**
 * Fink/ZTF alert parquet → Alert batches, with parquet-wasm + apache-arrow.
 *
 * parquet-wasm's `readParquet(buf, {columns})` ignores `columns` and decodes everything (cutouts included), so this
 * opens a `ParquetFile` over a file-backed Blob (bytes are fetched by range, the file is never loaded whole) and
 * `stream()`s one row group at a time with an explicit list of leaf columns: only the ~25 candidate/history leaves
 * we use and the Fink columns; the cutouts, only when asked, are read apart one batch-sized window of rows at a time
 * (readCutoutWindow). Memory is bounded by one batch plus, inside wasm, the small columns' chunks of one row group
 * and the stamps' pages of one window, whatever the row-group size.
 *
 * A WebAssembly trap while reading is an error of the file (see core/util/wasm-trap.ts): the instance it happened in
 * is retired and never called again, and the next file is read by a fresh one (parquet-wasm.ts).
 */
import type { ParquetFile } from 'parquet-wasm';
import { Type, type Field, type Schema } from 'apache-arrow';
import { AlertFileError } from './errors.js';
import type { ParquetWasmModule } from './parquet-wasm.js';
import { arrowSchema, openParquetFooter, release, streamRowGroup, type RowWindow } from './parquet-stream.js';
import { alertsFromArrowBatch, candidsOf, checkIds, cutoutsOf } from './arrow-batch.js';
import type { AlertColumns } from './columns.js';
import { toStrings } from './arrow-columns.js';
import {
  CANDIDATE_FIELDS,
  CUTOUT_COLUMNS,
  FOREIGN_SURVEY_MARKERS,
  HISTORY_FIELDS,
  LC_FEATURE_COLUMNS,
  NUMBER_COLUMNS,
  REQUIRED_CANDIDATE_FIELDS,
  STRING_COLUMNS,
  isScoreColumn,
} from './fink-columns.js';
import { DEFAULT_BATCH_SIZE, type AlertBatch, type ReadOptions } from './batch.js';

/** An opened, schema-checked alert parquet file and the leaf columns to read from it. */
export interface ParquetAlertFile {
  file: string;
  /** Rows per row group. */
  rowGroupRows: number[];
  numRows: number;
  createdBy: string | null;
  /** Arrow schema of the whole file (every column). */
  schema: Schema;
  /** Leaf paths read for alerts without cutouts. */
  columns: string[];
  /** Leaf paths of the cutout stamps. */
  cutoutColumns: string[];
  /** Leaf paths of objectId and candid, for the id check. */
  idColumns: string[];
  handle: ParquetFile;
  /** The parquet-wasm instance that owns `handle`. */
  wasm: ParquetWasmModule;
}

function structFields(field: Field | undefined): string[] {
  const children = (field?.type as { children?: Field[] } | undefined)?.children;
  return children ? children.map((c) => c.name) : [];
}

/** Says why the schema is not a ZTF alert schema, or returns nothing. */
function checkSchema(file: string, schema: Schema): void {
  const names = schema.fields.map((f) => f.name);
  const candidate = schema.fields.find((f) => f.name === 'candidate');
  if (!candidate) {
    const foreign = names.map((n) => FOREIGN_SURVEY_MARKERS[n]).find(Boolean);
    const cols = names.slice(0, 12).join(', ') + (names.length > 12 ? ', …' : '');
    throw new AlertFileError(
      file,
      'candidate',
      foreign
        ? `not a ZTF alert file: looks like ${foreign}; no 'candidate' column`
        : `no 'candidate' column: not a ZTF alert file (columns: ${cols || 'none'})`,
    );
  }
  if (candidate.type.typeId !== Type.Struct) {
    throw new AlertFileError(file, 'candidate', `not a ZTF alert file: 'candidate' is ${String(candidate.type)}, not a struct`);
  }
  const have = new Set(structFields(candidate));
  const missing = REQUIRED_CANDIDATE_FIELDS.filter((f) => !have.has(f));
  if (missing.length > 0) {
    const list = [...have].slice(0, 12).join(', ') + (have.size > 12 ? ', …' : '');
    throw new AlertFileError(
      file,
      `candidate.${missing[0]}`,
      `not a ZTF alert file: no ${missing.map((m) => `candidate.${m}`).join(', ')} (candidate has: ${list || 'no fields'})`,
    );
  }
  if (!names.includes('objectId')) throw new AlertFileError(file, 'objectId', "no 'objectId' column");
  if (!names.includes('candid') && !have.has('candid')) throw new AlertFileError(file, 'candid', "no 'candid' column");
}

/** Picks the leaf columns to read, from the physical paths (`list.element` vs `list.item` differ by writer). */
function planColumns(schema: Schema, leaves: string[][]): Pick<ParquetAlertFile, 'columns' | 'cutoutColumns' | 'idColumns'> {
  const top = new Set<string>(['objectId', 'candid', ...STRING_COLUMNS, ...NUMBER_COLUMNS, ...LC_FEATURE_COLUMNS]);
  for (const f of schema.fields) if (isScoreColumn(f.name)) top.add(f.name);
  const candidateFields = new Set<string>(CANDIDATE_FIELDS);
  const historyFields = new Set<string>(HISTORY_FIELDS);
  const cutouts = new Set<string>(Object.values(CUTOUT_COLUMNS));
  const hasTopCandid = schema.fields.some((f) => f.name === 'candid');
  const columns: string[] = [];
  const cutoutColumns: string[] = [];
  const idColumns: string[] = [];
  for (const path of leaves) {
    const head = path[0];
    const leaf = path[path.length - 1];
    const dotted = path.join('.');
    if (top.has(head)) columns.push(dotted);
    else if (head === 'candidate' && path.length === 2 && candidateFields.has(leaf)) columns.push(dotted);
    else if (head === 'prv_candidates' && path.length >= 2 && historyFields.has(leaf)) columns.push(dotted);
    else if (cutouts.has(head) && leaf === 'stampData') cutoutColumns.push(dotted);
    if (head === 'objectId' || (head === 'candid' && path.length === 1)) idColumns.push(dotted);
    if (!hasTopCandid && head === 'candidate' && path.length === 2 && leaf === 'candid') idColumns.push(dotted);
  }
  return { columns, cutoutColumns, idColumns };
}

/** Opens and checks a parquet alert file (footer and schema only; no data pages are read). */
export function openParquetAlerts(file: string): Promise<ParquetAlertFile> {
  return openParquetFooter(file, (handle, wasm) => {
    const meta = handle.metadata();
    const rowGroupRows: number[] = [];
    const leaves: string[][] = [];
    const groups = meta.numRowGroups();
    for (let i = 0; i < groups; i++) {
      const rg = meta.rowGroup(i);
      rowGroupRows.push(rg.numRows());
      if (i === 0) for (const c of rg.columns()) leaves.push(c.columnPath());
    }
    const schema = arrowSchema(handle);
    checkSchema(file, schema);
    const fileMeta = meta.fileMetadata();
    return {
      file,
      rowGroupRows,
      numRows: rowGroupRows.reduce((a, b) => a + b, 0),
      createdBy: fileMeta.createdBy() ?? null,
      schema,
      ...planColumns(schema, leaves),
      handle,
      wasm,
    };
  });
}

/** Reads objectId and candid of every row: a null id anywhere fails the file before any alert is yielded. */
async function checkAllIds(pq: ParquetAlertFile, batchSize: number): Promise<void> {
  let row = 0;
  for (let g = 0; g < pq.rowGroupRows.length; g++) {
    for await (const batch of streamRowGroup(pq, g, pq.idColumns, Math.max(batchSize, 65_536))) {
      const objectIds = toStrings(batch.getChild('objectId')?.data[0], batch.numRows);
      checkIds(pq.file, row, objectIds, candidsOf(batch, pq.file, row));
      row += batch.numRows;
    }
  }
}

type Cutouts = NonNullable<AlertColumns['cutouts']>;

/**
 * The stamps of `window` rows of a row group, read on their own. Why: they are most of the bytes, and the reader
 * loads every selected column chunk of a row group whole before decoding it: read with the other columns, a
 * 20k-alert row group of realistic stamps took ~2 GB of wasm memory. A window loads only the pages it needs (the
 * file's page index says where they are): ~0.2 GB.
 */
async function readCutoutWindow(pq: ParquetAlertFile, rowGroup: number, window: RowWindow): Promise<Cutouts> {
  const out: Cutouts = { science: [], template: [], difference: [] };
  for await (const batch of streamRowGroup(pq, rowGroup, pq.cutoutColumns, window.limit, window)) {
    const c = cutoutsOf(batch, batch.numRows);
    out.science.push(...c.science);
    out.template.push(...c.template);
    out.difference.push(...c.difference);
  }
  if (out.science.length !== window.limit) {
    const got = `${out.science.length} rows of cutouts instead of ${window.limit}`;
    throw new AlertFileError(pq.file, null, `corrupt data in row group ${rowGroup}: ${got} at row ${window.offset}`);
  }
  return out;
}

/** All alerts of a parquet file, batch by batch. Throws AlertFileError (before the first batch where possible). */
export async function* readParquetAlerts(file: string, opts: ReadOptions = {}): AsyncGenerator<AlertBatch> {
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE);
  const withCutouts = opts.withCutouts ?? false;
  const pq = await openParquetAlerts(file);
  try {
    // A file read in one batch is checked by that batch itself before it is yielded.
    const oneBatch = pq.rowGroupRows.length === 1 && pq.numRows <= batchSize;
    if (!oneBatch && (opts.idsFirst ?? true)) await checkAllIds(pq, batchSize);
    const separateCutouts = withCutouts && pq.cutoutColumns.length > 0;
    let row = 0;
    for (let g = 0; g < pq.rowGroupRows.length; g++) {
      let inGroup = 0;
      for await (const batch of streamRowGroup(pq, g, pq.columns, batchSize)) {
        const out = alertsFromArrowBatch(batch, file, row, withCutouts && !separateCutouts);
        if (separateCutouts) out.columns.cutouts = await readCutoutWindow(pq, g, { offset: inGroup, limit: batch.numRows });
        inGroup += batch.numRows;
        row += batch.numRows;
        yield out;
      }
    }
  } finally {
    release(pq);
  }
}

/** Row count from the footer, without reading data. */
export async function countParquetRows(file: string): Promise<number> {
  const pq = await openParquetAlerts(file);
  release(pq);
  return pq.numRows;
}
