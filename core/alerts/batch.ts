import type { Alert } from './alert.js';
import type { HistoryColumns } from './history.js';

/** One slice of a file as the reader yields it: the alerts and, columnar, the same alerts' history. */
export interface AlertBatch {
  file: string;
  /** 0-based index in the file of alerts[0]. */
  firstRow: number;
  alerts: Alert[];
  /** history.offsets[r]..offsets[r+1] are alerts[r].history, as typed arrays. */
  history: HistoryColumns;
}

export interface ReadOptions {
  /** Also read the three cutouts (gzipped FITS). Off by default: they are most of a file's bytes. */
  withCutouts?: boolean;
  /** Maximum alerts per yielded batch (default 10,000; a row group is split into batches of at most this). */
  batchSize?: number;
}

export const DEFAULT_BATCH_SIZE = 10_000;
