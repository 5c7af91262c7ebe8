/**
 * A source file read for ingest: alert batches without their cutouts, which are written to the file's sidecar on
 * the way (by whichever thread reads, so the stamps, most of a file's bytes, never cross threads or pass through the
 * staging database).
 */
import { readAlertBatches, type AlertBatch } from '../alerts/reader.js';
import { CutoutWriter } from '../store/cutouts.js';

export interface SourceReadOptions {
  batchSize: number;
  /** The sidecar to create for this file's cutouts, or null to skip them. Closed (not yet synced) at the end. */
  cutoutsPath: string | null;
}

export async function* readSourceBatches(file: string, opts: SourceReadOptions): AsyncGenerator<AlertBatch> {
  const writer = opts.cutoutsPath ? new CutoutWriter(opts.cutoutsPath) : null;
  try {
    for await (const b of readAlertBatches(file, { batchSize: opts.batchSize, withCutouts: !!writer, idsFirst: false })) {
      if (writer && b.columns.cutouts) writer.addBatch(b.columns.candid, b.columns.cutouts);
      b.columns.cutouts = null;
      yield b;
    }
  } finally {
    writer?.close();
  }
}
