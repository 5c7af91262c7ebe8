/** A generated night on its way to disk: Arrow tables in chunks to the parquet writer, its bytes to the file. */
import { open, rename } from 'node:fs/promises';
import { tableToIPC, type Table } from 'apache-arrow';
import { transformParquetStream, Table as WasmTable, type RecordBatch as WasmBatch, type WriterProperties } from 'parquet-wasm';

/** One chunk of a night: its rows as a table, and what the generator meant each row to be. */
export interface NightChunk<T> {
  table: Table;
  truth: T[];
}

/**
 * Writes the chunks as one parquet file (row groups cut by the writer's properties) and returns the truth of every
 * row, in order. `onProgress` gets the rows done so far.
 */
export async function writeNightChunks<T>(
  chunks: Iterator<NightChunk<T>>,
  props: WriterProperties,
  file: string,
  onProgress?: (rows: number) => void,
): Promise<T[]> {
  const truth: T[] = [];
  const batches = new ReadableStream<WasmBatch>({
    pull(controller) {
      const next = chunks.next();
      if (next.done) return controller.close();
      truth.push(...next.value.truth);
      onProgress?.(truth.length);
      const wasm = WasmTable.fromIPCStream(tableToIPC(next.value.table, 'stream'));
      const wasmBatches = wasm.recordBatches();
      // Free the wasm-side table now (the batches hold their own references): waiting for the JS finaliser let
      // wasm memory grow by a chunk per row group.
      wasm.free();
      for (const b of wasmBatches) controller.enqueue(b);
    },
  });
  await writeStreamToFile(await transformParquetStream(batches, props), file);
  return truth;
}

/**
 * The bytes under a temporary name, then renamed: a crash never leaves a half file. Each chunk is awaited on the file handle. Why: piping into Writable.toWeb(createWriteStream) kept the written chunks
 * alive, so peak memory grew with the length of the night (LSST: 1.2 GB at 38k alerts against 0.83 GB flat).
 */
export async function writeStreamToFile(bytes: ReadableStream<Uint8Array>, file: string): Promise<void> {
  const tmp = `${file}.partial`;
  const fh = await open(tmp, 'w');
  try {
    const reader = bytes.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) await fh.write(r.value);
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
}
