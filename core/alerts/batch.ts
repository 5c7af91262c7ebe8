import type { Alert } from './alert.js';
import { alertAt, type AlertColumns } from './columns.js';
import type { HistoryColumns } from './history.js';

/** One slice of a file as the reader yields it: the alerts as columns, and their history as typed arrays. */
export interface AlertBatch {
  file: string;
  /** 0-based index in the file of the batch's first alert. */
  firstRow: number;
  columns: AlertColumns;
  /** history.offsets[r]..offsets[r+1] are alert r's history, as typed arrays. */
  history: HistoryColumns;
  /** The same alerts as objects, made on first read (ingest never reads this: see columns.ts). */
  readonly alerts: Alert[];
}

/** A batch whose `alerts` are built from the columns on first use, then kept. */
export function makeBatch(
  file: string,
  firstRow: number,
  columns: AlertColumns,
  history: HistoryColumns,
  /** The alerts as objects when the reader has them already (avro). */
  made: Alert[] | null = null,
): AlertBatch {
  let alerts = made;
  return {
    file,
    firstRow,
    columns,
    history,
    get alerts(): Alert[] {
      alerts ??= Array.from({ length: columns.n }, (_, r) => alertAt(columns, history, r));
      return alerts;
    },
  };
}

export interface ReadOptions {
  /** Also read the three cutouts (gzipped FITS). Off by default: they are most of a file's bytes. */
  withCutouts?: boolean;
  /** Maximum alerts per yielded batch (default 10,000; a row group is split into batches of at most this). */
  batchSize?: number;
  /**
   * Check every row's objectId and candid before yielding anything (default true), at the cost of a pass over those
   * columns. A caller that throws partial reads away anyway (ingest stages a file before merging it) skips it; the
   * same check still runs on each batch.
   */
  idsFirst?: boolean;
}

export const DEFAULT_BATCH_SIZE = 10_000;
