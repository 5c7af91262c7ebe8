import { rmSync, statSync } from 'node:fs';
import { HashThread, sha256File } from './file-hash.js';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { AlertFileError } from '../alerts/errors.js';
import { listAlertFiles } from '../alerts/reader.js';
import { ReaderThread, readSource } from './read-thread.js';
import type { SourceReadOptions } from './source.js';
import type { IngestFileResult, IngestSummary } from '../api/types.js';
import { N_FEATURES } from '../features/build.js';
import { prepareBatch } from './prepare.js';
import type { DustMap } from '../features/dust.js';
import { FEATURE_NAMES } from '../features/names.js';
import { lookupSherlock, type SherlockOptions } from '../features/sherlock.js';
import { sqliteSherlockCache } from '../features/sherlock-cache.js';
import { ensureCutoutsDir, newCutoutsFileName, removeOrphanCutoutFiles, syncToDisk } from '../store/cutouts.js';
import type { Db } from '../store/database.js';
import { alreadyIngested, likelyIngested, mergeStaging, recordFailedFile, type FileRecord } from './merge.js';
import { StagingWriter, makeStagingRoot, removeStaleStagingRoots } from './staging.js';
import { LsstStagingWriter } from '../store/lsst-staging.js';
import { ingestSurveyOf } from '../surveys/file-survey.js';
import type { SurveyId } from '../surveys/survey.js';
import { stageLsstFile } from './lsst-source.js';

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
  /**
   * Decode on a worker thread (overlapping the writes). Default: when the files total at least THREAD_MIN_BYTES,
   * below which the thread's start-up costs more than it saves.
   */
  readInThread?: boolean;
  /** For tests: makes the reader threads (the first, and any that replaces one that died). */
  newReaderThread?: () => ReaderThread;
  /** For tests: Lasair's base URL and fetch. */
  sherlock?: Pick<SherlockOptions, 'baseUrl' | 'fetchImpl'>;
}

const NDETS = FEATURE_NAMES.indexOf('ndets');
export const THREAD_MIN_BYTES = 64 * 1024 * 1024;
/** A reader thread that dies mid-ingest (e.g. ended for memory) is replaced for the next file, at most this often. */
const READER_RESTARTS = 2;

/**
 * What crashed ingests left behind (cutout sidecars no committed file names, staging folders in `stagingParent`) is
 * removed; the work in progress of a live process (another ingest into the same store) is kept. Run at each ingest
 * and when the app opens its store.
 */
export function removeIngestLeftovers(db: Db, stagingParent: string = tmpdir()): void {
  removeOrphanCutoutFiles(db);
  removeStaleStagingRoots(stagingParent);
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
  const stagingParent = opts.stagingDir ?? tmpdir();
  removeIngestLeftovers(db, stagingParent);
  const sherlockCache = sqliteSherlockCache(db);
  // Without a token and with nothing cached there is nothing to look up (and 10^5 cache misses cost ~0.4 s).
  let sherlockOff = false;
  const sherlockNone = !opts.lasairToken && sherlockCache.size() === 0;
  const stagingRoot = makeStagingRoot(stagingParent);
  const withCutouts = opts.withCutouts ?? true;
  const batchSize = opts.batchSize ?? (withCutouts ? 2000 : 10_000);
  // Decoding on a thread of its own overlaps it with the SQLite writes; it pays off only beyond start-up costs.
  const threaded = opts.readInThread ?? bytesTotal >= THREAD_MIN_BYTES;
  const newReader = opts.newReaderThread ?? (() => new ReaderThread());
  let reader = threaded ? newReader() : null;
  let restarts = 0;
  const hasher = threaded ? new HashThread() : null;
  // What each file needs before its read starts, made when it is read or, on the thread, prefetched.
  interface Plan {
    path: string;
    cutoutsFile: string | null;
    cutoutsPath: string | null;
    readOpts: SourceReadOptions;
    hashing: () => Promise<string>;
    prefetched: boolean;
  }
  const plans = new Map<number, Plan>();
  const sidecars = withCutouts ? ensureCutoutsDir(db) : null;
  const planOf = (i: number): Plan => {
    let plan = plans.get(i);
    if (!plan) {
      const path = resolve(paths[i]);
      const cutoutsFile = sidecars ? newCutoutsFileName() : null;
      const cutoutsPath = sidecars && cutoutsFile ? join(sidecars, cutoutsFile) : null;
      let started: Promise<string> | null = null;
      const hashing = (): Promise<string> => {
        if (!started) {
          started = hasher ? hasher.sha256(path) : sha256File(path);
          started.catch(() => undefined);
        }
        return started;
      };
      plan = { path, cutoutsFile, cutoutsPath, readOpts: { batchSize, cutoutsPath }, hashing, prefetched: false };
      plans.set(i, plan);
    }
    return plan;
  };
  /** While file i is merged, the thread starts on file i + 1 (unless it looks like a re-run, hashed first). */
  const prefetchAfter = (i: number): void => {
    if (!reader || i + 1 >= paths.length || likelyIngested(db, resolve(paths[i + 1]), sizes[i + 1])) return;
    const next = planOf(i + 1);
    if (reader.prefetch(next.path, next.readOpts)) {
      next.prefetched = true;
      void next.hashing();
    }
  };
  try {
    for (let i = 0; i < paths.length; i++) {
      if (reader?.unavailable?.started) {
        // The thread died: what it prefetched is half written, and the next files get a fresh thread.
        for (const [j, plan] of plans) {
          if (j < i || !plan.prefetched) continue;
          if (plan.cutoutsPath) rmSync(plan.cutoutsPath, { force: true });
          plan.prefetched = false;
        }
        if (restarts < READER_RESTARTS) {
          await reader.close();
          reader = newReader();
          restarts++;
        }
      }
      const { path, cutoutsFile, cutoutsPath, readOpts, hashing } = planOf(i);
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
      // The content hash decides whether the file is new. It is computed while the file is read (a second pass over
      // the bytes), unless this path was ingested before with the same size: then it is most likely a re-run. On a
      // thread of its own it starts with the first batch: until then the reader thread needs both cores to start.
      if (!threaded) void hashing();
      let sha = likelyIngested(db, path, sizes[i]) ? await hashing().catch(() => null) : null;
      let result: IngestFileResult;
      if (sha && alreadyIngested(db, sha)) {
        result = { file: path, ok: true, skipped: 'already-ingested', rows: 0, newAlerts: 0, duplicates: 0 };
      } else {
        const stagingPath = join(stagingRoot, `${i}-${basename(path)}.sqlite`);
        let survey: SurveyId = 'ztf';
        let staging: StagingWriter | LsstStagingWriter = new StagingWriter(stagingPath);
        /** Sherlock lookups and the reader thread are ZTF's. */
        const stageZtf = async (w: StagingWriter): Promise<void> => {
          for await (const { columns: c, history } of readSource(path, readOpts, reader)) {
            void hashing();
            // Sherlock separations for alerts whose file does not carry them: cache first, then Lasair.
            const need = new Set<string>();
            for (let r = 0; r < c.n; r++) if (Number.isNaN(c.sherlockSepArcsec[r])) need.add(c.objectId[r]);
            const token = sherlockOff ? null : (opts.lasairToken ?? null);
            const looked =
              need.size && !sherlockNone ? await lookupSherlock([...need], { token, ...opts.sherlock }, sherlockCache) : null;
            // Once Lasair is unreachable or refuses us, stop asking for the rest of this ingest.
            if (looked?.stopped && looked.stopped !== 'no-token') sherlockOff = true;
            if (looked?.message && !warnings.includes(looked.message)) warnings.push(looked.message);
            const { X, lcBlobs } = prepareBatch(c, history, opts.dust ?? null, looked?.sep ?? null);
            const ndets = new Float64Array(c.n);
            for (let r = 0; r < c.n; r++) ndets[r] = X[r * N_FEATURES + NDETS];
            w.writeBatch(c, X, N_FEATURES, ndets, lcBlobs);
            alerts += c.n;
            progress();
          }
        };
        try {
          try {
            await stageZtf(staging);
          } catch (e) {
            // Every file is offered to the ZTF reader first, so ZTF files never pay for a second look at their
            // schema. It refuses an LSST file at its schema, before any alert (also when its thread prefetched it);
            // the file is then read again as LSST, in process. Any other refusal stands, in its own words.
            if (!(e instanceof AlertFileError) || staging.rows > 0 || (await ingestSurveyOf(path)) !== 'lsst') throw e;
            survey = 'lsst';
            staging.close();
            rmSync(stagingPath, { force: true });
            if (cutoutsPath) rmSync(cutoutsPath, { force: true });
            staging = new LsstStagingWriter(stagingPath, opts.dust ?? null);
            await stageLsstFile(path, staging, readOpts, (n) => {
              void hashing();
              alerts += n;
              progress();
            });
          }
          prefetchAfter(i);
          sha ??= await hashing();
          const rec: FileRecord = { path, sha256: sha, sizeBytes: sizes[i] };
          staging.close();
          const flushed = cutoutsPath ? syncToDisk(cutoutsPath) : Promise.resolve();
          // A failed merge removes the sidecar without waiting for this flush: its failure then is no news.
          flushed.catch(() => undefined);
          if (alreadyIngested(db, sha)) {
            // The same bytes under another name: nothing new.
            await flushed.catch(() => undefined);
            if (cutoutsPath) rmSync(cutoutsPath, { force: true });
            result = { file: path, ok: true, skipped: 'already-ingested', rows: 0, newAlerts: 0, duplicates: 0 };
          } else {
            const merged = await mergeStaging(db, stagingPath, rec, staging.rows, cutoutsFile, { survey });
            // Committed: a failed flush can no longer undo the file; say so rather than pretend it failed.
            await flushed.catch((e: unknown) =>
              warnings.push(`${path}: cutouts may not be on disk yet (${e instanceof Error ? e.message : String(e)})`),
            );
            result = {
              file: path,
              ok: true,
              survey,
              rows: staging.rows,
              newAlerts: merged.newAlerts,
              duplicates: staging.rows - merged.newAlerts,
            };
          }
        } catch (e) {
          staging.close();
          if (cutoutsPath) rmSync(cutoutsPath, { force: true });
          const msg =
            e instanceof AlertFileError ? e.message : `${path}: ${e instanceof Error ? e.message : String(e)}`;
          sha ??= await hashing().catch(() => 'unreadable');
          recordFailedFile(db, { path, sha256: sha, sizeBytes: sizes[i] }, msg);
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
    await reader?.close();
    await hasher?.close();
    // A file prefetched but never reached (an error ended the ingest) leaves no sidecar behind.
    for (const [i, plan] of plans) if (plan.prefetched && i >= files.length && plan.cutoutsPath) rmSync(plan.cutoutsPath, { force: true });
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
