import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { AlertFileError } from '../alerts/errors.js';
import { listAlertFiles, readAlertBatches } from '../alerts/reader.js';
import type { IngestFileResult, IngestSummary } from '../api/types.js';
import { N_FEATURES, writeFeatures } from '../features/build.js';
import { packColumns } from '../features/packed-lc.js';
import type { DustMap } from '../features/dust.js';
import { FEATURE_NAMES } from '../features/names.js';
import { lookupSherlock, type SherlockOptions } from '../features/sherlock.js';
import { sqliteSherlockCache } from '../features/sherlock-cache.js';
import { CutoutWriter, ensureCutoutsDir, removeOrphanCutoutFiles } from '../store/cutouts.js';
import type { Db } from '../store/database.js';
import { alreadyIngested, mergeStaging, recordFailedFile, type FileRecord } from './merge.js';
import { StagingWriter } from './staging.js';

export interface IngestProgress {
  filesDone: number;
  filesTotal: number;
  file: string;
  alerts: number;
  bytesDone: number;
  bytesTotal: number;
  seconds: number;
}

export interface IngestOptions {
  /** Store the three cutouts (default true; the benchmark also measures without). */
  withCutouts?: boolean;
  dust?: DustMap | null;
  batchSize?: number;
  onProgress?: (p: IngestProgress) => void;
  /** Called once per file as soon as its outcome is known. */
  onFile?: (r: IngestFileResult) => void;
  /** Folder for staging databases (default: the OS temp folder). */
  stagingDir?: string;
  /**
   * Lasair API token: sep_arcsec for alerts whose file has no Sherlock column is then asked of Lasair's Sherlock
   * service (cached in the store, so each object is asked once). Without it, only cached values are used.
   */
  lasairToken?: string | null;
  /** For tests: Lasair's base URL and fetch. */
  sherlock?: Pick<SherlockOptions, 'baseUrl' | 'fetchImpl'>;
}

const NDETS = FEATURE_NAMES.indexOf('ndets');

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Ingest files, folders or globs. Each file is all-or-nothing; a bad file is reported and the others still ingest;
 * a file already ingested (same sha256) changes nothing.
 */
export async function ingestFiles(db: Db, inputs: readonly string[], opts: IngestOptions = {}): Promise<IngestSummary> {
  const t0 = performance.now();
  const files: IngestFileResult[] = [];
  const warnings: string[] = [];
  let paths: string[];
  try {
    paths = await listAlertFiles([...inputs]);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const r: IngestFileResult = { file: inputs.join(', '), ok: false, rows: 0, newAlerts: 0, duplicates: 0, error: msg };
    opts.onFile?.(r);
    return { files: [r], alertsRead: 0, newAlerts: 0, failed: 1, seconds: (performance.now() - t0) / 1000, warnings };
  }
  const sizes = paths.map((p) => statSync(p).size);
  const bytesTotal = sizes.reduce((a, b) => a + b, 0);
  let bytesDone = 0;
  let alerts = 0;
  removeOrphanCutoutFiles(db);
  const sherlockCache = sqliteSherlockCache(db);
  let sherlockOff = false;
  const stagingRoot = mkdtempSync(join(opts.stagingDir ?? tmpdir(), 'finkvra-staging-'));
  try {
    for (let i = 0; i < paths.length; i++) {
      const path = resolve(paths[i]);
      const rec: FileRecord = { path, sha256: await sha256File(path), sizeBytes: sizes[i] };
      const progress = (): void =>
        opts.onProgress?.({
          filesDone: i,
          filesTotal: paths.length,
          file: path,
          alerts,
          bytesDone,
          bytesTotal,
          seconds: (performance.now() - t0) / 1000,
        });
      progress();
      let result: IngestFileResult;
      const prior = alreadyIngested(db, rec.sha256);
      if (prior) {
        result = { file: path, ok: true, skipped: 'already-ingested', rows: 0, newAlerts: 0, duplicates: 0 };
      } else {
        const stagingPath = join(stagingRoot, `${i}-${basename(path)}.sqlite`);
        const cutoutsFile = (opts.withCutouts ?? true) ? `${randomUUID()}.sqlite` : null;
        const cutoutsPath = cutoutsFile ? join(ensureCutoutsDir(db), cutoutsFile) : null;
        const staging = new StagingWriter(stagingPath, cutoutsPath ? new CutoutWriter(cutoutsPath) : null);
        try {
          for await (const { alerts: batch, history } of readAlertBatches(path, {
            withCutouts: opts.withCutouts ?? true,
            batchSize: opts.batchSize ?? ((opts.withCutouts ?? true) ? 2000 : 10_000),
          })) {
            // Sherlock separations for alerts whose file does not carry them: cache first, then Lasair.
            const need = [...new Set(batch.filter((a) => a.sherlockSepArcsec === null).map((a) => a.objectId))];
            const looked = need.length
              ? await lookupSherlock(need, { token: sherlockOff ? null : (opts.lasairToken ?? null), ...opts.sherlock }, sherlockCache)
              : null;
            // Once Lasair is unreachable or refuses us, stop asking for the rest of this ingest.
            if (looked?.stopped && looked.stopped !== 'no-token') sherlockOff = true;
            if (looked?.message && !warnings.includes(looked.message)) warnings.push(looked.message);
            const sep = looked?.sep ?? null;
            // Packed light curves straight from the reader's columns: no per-point objects on this hot path.
            const lcs = batch.map((a, r) => packColumns(history, r, a));
            const X = new Float64Array(batch.length * N_FEATURES);
            const ndets = new Float64Array(batch.length);
            for (let r = 0; r < batch.length; r++) {
              writeFeatures(X, r * N_FEATURES, batch[r], opts.dust ?? null, sep, lcs[r]);
              ndets[r] = X[r * N_FEATURES + NDETS];
            }
            staging.writeBatch(batch, X, N_FEATURES, ndets, lcs);
            alerts += batch.length;
            progress();
          }
          staging.close();
          const merged = mergeStaging(db, stagingPath, rec, staging.rows, cutoutsFile);
          result = {
            file: path,
            ok: true,
            rows: staging.rows,
            newAlerts: merged.newAlerts,
            duplicates: staging.rows - merged.newAlerts,
          };
        } catch (e) {
          staging.close();
          if (cutoutsPath) rmSync(cutoutsPath, { force: true });
          const msg =
            e instanceof AlertFileError ? e.message : `${path}: ${e instanceof Error ? e.message : String(e)}`;
          recordFailedFile(db, rec, msg);
          result = { file: path, ok: false, rows: 0, newAlerts: 0, duplicates: 0, error: msg };
        } finally {
          rmSync(stagingPath, { force: true });
        }
      }
      bytesDone += sizes[i];
      files.push(result);
      opts.onFile?.(result);
    }
  } finally {
    rmSync(stagingRoot, { recursive: true, force: true });
  }
  opts.onProgress?.({
    filesDone: paths.length,
    filesTotal: paths.length,
    file: '',
    alerts,
    bytesDone,
    bytesTotal,
    seconds: (performance.now() - t0) / 1000,
  });
  return {
    files,
    alertsRead: alerts,
    newAlerts: files.reduce((s, f) => s + f.newAlerts, 0),
    failed: files.filter((f) => !f.ok).length,
    seconds: (performance.now() - t0) / 1000,
    warnings,
  };
}
