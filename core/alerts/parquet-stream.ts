/**
 * Reading a parquet file with parquet-wasm, shared by the ZTF and the LSST readers: opening a `ParquetFile` over a
 * file-backed Blob (bytes are fetched by range, the file is never loaded whole), streaming one row group at a time
 * with an explicit list of leaf columns, copying batches out of wasm, and freeing. Every error is an AlertFileError
 * naming the file; a WebAssembly trap retires the instance it happened in (parquet-wasm.ts).
 */
import { openAsBlob } from 'node:fs';
import type { ParquetFile, RecordBatch as WasmRecordBatch } from 'parquet-wasm';
import { parseRecordBatch } from 'arrow-js-ffi';
import { tableFromIPC, type RecordBatch, type Schema } from 'apache-arrow';
import { AlertFileError } from './errors.js';
import { isRetired, parquetWasm, retireParquetWasm, type ParquetWasmModule } from './parquet-wasm.js';
import { isWasmTrap, untilTrap, WasmTrap } from '../util/wasm-trap.js';

/** An opened parquet file: its handle and the parquet-wasm instance that owns it. */
export interface OpenParquet {
  file: string;
  handle: ParquetFile;
  wasm: ParquetWasmModule;
}

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A trap (caught here, or surfaced uncaught and turned into a WasmTrap) retires the instance it happened in. */
export function noteTrap(wasm: ParquetWasmModule, e: unknown): void {
  if (e instanceof WasmTrap || isWasmTrap(e)) retireParquetWasm(wasm);
}

/** Frees the file's wasm handle, unless its instance trapped: a broken instance is never called again. */
export function release(pq: Pick<OpenParquet, 'handle' | 'wasm'>): void {
  if (isRetired(pq.wasm)) return;
  try {
    pq.handle.free();
  } catch (e) {
    noteTrap(pq.wasm, e);
  }
}

/** Opens `file` (footer only) with `wasm`; an unreadable file is an AlertFileError. */
export async function openParquetHandle(file: string, wasm: ParquetWasmModule): Promise<ParquetFile> {
  try {
    const blob = await openAsBlob(file);
    return await untilTrap(wasm.ParquetFile.fromFile(blob));
  } catch (e) {
    noteTrap(wasm, e);
    throw new AlertFileError(file, null, `not a readable parquet file: ${message(e)}`);
  }
}

/**
 * Opens `file` with the current parquet-wasm instance and reads its footer with `read` (which keeps the handle in
 * what it returns). When `read` throws, the handle is freed and the error names the file.
 */
export async function openParquetFooter<T>(file: string, read: (handle: ParquetFile, wasm: ParquetWasmModule) => T): Promise<T> {
  const wasm = parquetWasm();
  const handle = await openParquetHandle(file, wasm);
  try {
    return read(handle, wasm);
  } catch (e) {
    noteTrap(wasm, e);
    release({ handle, wasm });
    if (e instanceof AlertFileError) throw e;
    throw new AlertFileError(file, null, `cannot read parquet metadata: ${message(e)}`);
  }
}

/** The Arrow schema of an opened file (every column), from its footer. */
export function arrowSchema(handle: ParquetFile): Schema {
  return tableFromIPC(handle.schema().intoIPCStream()).schema;
}

/**
 * A wasm record batch as an Arrow JS one, copied out of wasm memory through the Arrow C data interface and freed
 * there. Why not intoIPCStream(): that serialises the batch inside wasm and then copies the stream out, two copies
 * and a parse; with cutouts (most of the bytes) it took ~2 s of a 100k-alert read. The copy is kept (no views into
 * wasm memory): the next read may grow that memory, which would detach any view.
 */
function fromWasm(wasm: ParquetWasmModule, batch: WasmRecordBatch): RecordBatch {
  const ffi = batch.intoFFI();
  try {
    return parseRecordBatch(wasm.wasmMemory().buffer, ffi.arrayAddr(), ffi.schemaAddr(), true);
  } finally {
    ffi.free();
  }
}

/** Rows of a row group to read: `limit` rows from its row `offset`. */
export interface RowWindow {
  offset: number;
  limit: number;
}

/** Arrow record batches of one row group (or of a window of it), `batchSize` rows at a time, only `columns` decoded. */
export async function* streamRowGroup(pq: OpenParquet, rowGroup: number, columns: string[], batchSize: number, window?: RowWindow) {
  let stream: ReadableStream<WasmRecordBatch>;
  try {
    const opened = pq.handle.stream({ columns, rowGroups: [rowGroup], batchSize, ...window });
    stream = (await untilTrap(opened)) as ReadableStream<WasmRecordBatch>;
  } catch (e) {
    noteTrap(pq.wasm, e);
    throw new AlertFileError(pq.file, null, `cannot read row group ${rowGroup}: ${message(e)}`);
  }
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await untilTrap(reader.read());
      } catch (e) {
        noteTrap(pq.wasm, e);
        throw new AlertFileError(pq.file, null, `corrupt data in row group ${rowGroup}: ${message(e)}`);
      }
      if (next.done) {
        finished = true;
        return;
      }
      let batch: RecordBatch;
      try {
        batch = fromWasm(pq.wasm, next.value);
      } catch (e) {
        noteTrap(pq.wasm, e);
        throw new AlertFileError(pq.file, null, `corrupt data in row group ${rowGroup}: ${message(e)}`);
      }
      yield batch;
    }
  } finally {
    // A consumer that stops early must not leave the wasm reader running (unless that instance trapped).
    if (!finished && !isRetired(pq.wasm)) await untilTrap(reader.cancel()).catch((e: unknown) => noteTrap(pq.wasm, e));
    reader.releaseLock();
  }
}
