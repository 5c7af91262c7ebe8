/**
 * The public entry points of core/alerts: find alert files, read them as normalised Alert batches, count rows,
 * de-duplicate on candid in memory. Every failure is an AlertFileError naming the file and the reason.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import type { Alert } from './alert.js';
import { AlertFileError } from './errors.js';
import { detectAlertFileKind } from './file-kind.js';
import { countParquetRows, readParquetAlerts } from './parquet.js';
import { countAvroRows, readAvroAlerts } from './avro.js';
import { ALERT_FILE_EXTENSIONS } from './fink-columns.js';
import type { AlertBatch, ReadOptions } from './batch.js';

export type { AlertBatch, ReadOptions } from './batch.js';
export type { HistoryColumns } from './history.js';

function isAlertFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return ALERT_FILE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** Glob patterns use forward slashes, also on Windows. */
function toPattern(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * Alert files named by `inputs`: folders (searched recursively for *.parquet and *.avro, hidden entries skipped),
 * explicit files (taken whatever their extension; the reader checks them) and glob patterns (matches filtered to
 * *.parquet / *.avro). Absolute paths, sorted, without duplicates. A missing path, or a pattern matching nothing,
 * is an AlertFileError.
 */
export async function listAlertFiles(inputs: string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const input of inputs) {
    const st = await stat(input).catch(() => null);
    if (st?.isDirectory()) {
      const matches = await glob(['**/*'], { cwd: input, absolute: true, onlyFiles: true, dot: false });
      for (const m of matches) if (isAlertFileName(m)) found.add(path.resolve(m));
    } else if (st) {
      found.add(path.resolve(input));
    } else if (isDynamicPattern(toPattern(input))) {
      const matches = await glob([toPattern(input)], { absolute: true, onlyFiles: true, dot: false });
      const alertFiles = matches.filter(isAlertFileName);
      if (alertFiles.length === 0) throw new AlertFileError(input, null, 'no .parquet or .avro file matches this pattern');
      for (const m of alertFiles) found.add(path.resolve(m));
    } else {
      throw new AlertFileError(input, null, 'no such file or directory');
    }
  }
  return [...found].sort();
}

/**
 * All alerts of one file with their columnar history, in batches (a parquet row group, or at most `batchSize`
 * alerts). The file is checked before the first batch: magic bytes, footer, schema (a ZTF `candidate` struct with
 * magpsf/fid/jd/ra/dec), and objectId/candid on every row.
 */
export async function* readAlertBatches(file: string, opts: ReadOptions = {}): AsyncGenerator<AlertBatch> {
  const { kind } = await detectAlertFileKind(file);
  if (kind === 'avro') yield* readAvroAlerts(file, opts);
  else yield* readParquetAlerts(file, opts);
}

/** Like readAlertBatches, yielding the Alert arrays only. */
export async function* readAlerts(file: string, opts: ReadOptions = {}): AsyncGenerator<Alert[]> {
  for await (const batch of readAlertBatches(file, opts)) yield batch.alerts;
}

/** Number of alerts in a file: parquet from the footer (no data read), avro by walking its blocks. */
export async function countRows(file: string): Promise<number> {
  const { kind } = await detectAlertFileKind(file);
  return kind === 'avro' ? countAvroRows(file) : countParquetRows(file);
}

/** The first alert of each candid, in input order (in-memory helper; the store de-duplicates across files). */
export function dedupeByCandid<T extends Pick<Alert, 'candid'>>(alerts: Iterable<T>): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const a of alerts) {
    if (seen.has(a.candid)) continue;
    seen.add(a.candid);
    out.push(a);
  }
  return out;
}
