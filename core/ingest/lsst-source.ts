/**
 * An LSST source file read for ingest (the LSST side of source.ts): batches without their stamps, which go to the
 * file's cutout sidecar on the way, keyed by diaSourceId, as the files hold them (uncompressed FITS).
 *
 * Read on the calling thread: LSST files are small next to a ZTF night for now, and the reader thread's wire format
 * is ZTF's columns. Memory stays bounded all the same: parquet is read row group by row group in batches.
 */
import { CutoutWriter } from '../store/cutouts.js';
import type { LsstStagingWriter } from '../store/lsst-staging.js';
import type { LsstBatch } from '../surveys/lsst/batch.js';
import { readLsstAlerts } from '../surveys/lsst/read.js';
import type { SourceReadOptions } from './source.js';

export async function* readLsstSourceBatches(file: string, opts: SourceReadOptions): AsyncGenerator<LsstBatch> {
  const writer = opts.cutoutsPath ? new CutoutWriter(opts.cutoutsPath) : null;
  try {
    for await (const b of readLsstAlerts(file, { batchSize: opts.batchSize, withCutouts: !!writer })) {
      if (writer && b.cutouts) writer.addBatch(b.diaSourceId, b.cutouts);
      b.cutouts = null;
      yield b;
    }
  } finally {
    writer?.close();
  }
}

/** Reads an LSST file into its staging database; `onBatch(n)` after each batch of n alerts. */
export async function stageLsstFile(
  file: string,
  staging: LsstStagingWriter,
  opts: SourceReadOptions,
  onBatch: (n: number) => void,
): Promise<void> {
  for await (const b of readLsstSourceBatches(file, opts)) {
    staging.writeBatch(b);
    onBatch(b.length);
  }
}
