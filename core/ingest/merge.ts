import { nextPieceSize, withoutForeignKeys, WRITER_GAP_MS, type Db } from '../store/database.js';
import { AlertFileError } from '../alerts/errors.js';
import { pieceCopier, StagedIdClash } from '../store/staged-copy.js';
import {
  alreadyIngested,
  attachStaging,
  deleteFileRow,
  detachStaging,
  insertMergingFile,
  likelyIngested,
  markFileIngested,
  recordFailedFile,
  type FileRecord,
} from '../store/source-file-rows.js';
import type { SurveyId } from '../surveys/survey.js';
import {
  deleteMergedPiece,
  mergeEnded,
  mergeStarted,
  mergeUnderWay,
  mergingMark,
  rollBackInterruptedMerges,
} from '../store/merge-marks.js';

export type { FileRecord };

export interface MergeResult {
  sourceFileId: number;
  newAlerts: number;
}

export interface MergeOptions {
  /** Rows per piece, fixed (tests); default: sized so a piece holds the write lock about WRITER_PIECE_MS. */
  pieceRows?: number;
  /**
   * Called between pieces; default: leave the lock free for WRITER_GAP_MS (a writer waiting in another process gets
   * in; this process serves its own label requests meanwhile).
   */
  between?: () => Promise<void>;
  /** The survey of the staged file (default ZTF): which staged table is copied, and how. */
  survey?: SurveyId;
}

const pauseForOtherWriters = (): Promise<void> => new Promise((ok) => setTimeout(ok, WRITER_GAP_MS));

/**
 * Copy a staged file into the store: the source file row, its new alerts (alerts already in the store from another
 * file keep their first copy: de-duplication on candid; within the file the first row wins), light curves and
 * features (cutouts stay in their sidecar, which the source file row names).
 *
 * "One file = one unit": the copy is made in pieces of about WRITER_PIECE_MS each — a label written meanwhile (by this
 * or another process) waits for one piece, not for the file — under the source file row's in-progress mark. Only
 * the last piece, which clears the mark, makes the file count as ingested. If any piece fails, the pieces already
 * committed are deleted again (every row they added carries this source file's id) and the row is removed, so a
 * bad file leaves nothing behind; a crash mid-merge is rolled back the same way by the next merge. Until the last
 * piece, the file's alerts may already be seen by readers.
 */
export async function mergeStaging(
  db: Db,
  stagingPath: string,
  file: FileRecord,
  rows: number,
  /** The sidecar file name (in cutoutsDir) holding this file's cutouts, or null. */
  cutoutsFile: string | null = null,
  opts: MergeOptions = {},
): Promise<MergeResult> {
  rollBackInterruptedMerges(db);
  attachStaging(db, stagingPath);
  let sourceFileId: number;
  try {
    sourceFileId = await claimMerge(db, file, rows, cutoutsFile);
  } catch (e) {
    detachStaging(db);
    throw e;
  }
  try {
    const newAlerts = await copyInPieces(db, sourceFileId, opts);
    db.transaction(() => {
      // Another process may have finished the same bytes meanwhile: the file is then theirs, not counted twice.
      if (alreadyIngested(db, file.sha256)) throw new Error('ingested meanwhile by another process; this copy was not kept');
      markFileIngested(db, sourceFileId, newAlerts);
    })();
    return { sourceFileId, newAlerts };
  } catch (e) {
    await rollBackMerge(db, sourceFileId, opts);
    deleteFileRow(db, sourceFileId);
    throw e instanceof StagedIdClash ? new AlertFileError(file.path, e.field, e.reason) : e;
  } finally {
    mergeEnded(db, sourceFileId);
    detachStaging(db);
  }
}

/**
 * Mark this merge on a new source file row, once no other merge is under way: merges into one store run one at a
 * time. Two at once could share alerts (a candid in both files is inserted by one and skipped by the other), and
 * rolling one back would then take alerts from the other's committed file.
 */
async function claimMerge(db: Db, file: FileRecord, rows: number, cutoutsFile: string | null): Promise<number> {
  const claim = db.transaction((): number | null => {
    if (mergeUnderWay(db)) return null;
    const id = insertMergingFile(db, file, rows, mergingMark(), cutoutsFile);
    mergeStarted(db, id);
    return id;
  });
  for (;;) {
    const id = claim();
    if (id !== null) return id;
    await new Promise((ok) => setTimeout(ok, 50));
    rollBackInterruptedMerges(db);
  }
}

/** Insert the staged rows by rowid ranges, one short transaction each; returns the number of new alerts. */
async function copyInPieces(db: Db, sourceFileId: number, opts: MergeOptions): Promise<number> {
  const between = opts.between ?? pauseForOtherWriters;
  // The staging writer kept one row per alert id (staged-copy.ts: what each piece inserts).
  const copier = pieceCopier(db, opts.survey ?? 'ztf', sourceFileId);
  const last = copier.last;
  const piece = db.transaction((lo: number, hi: number): number => copier.copy(lo, hi));
  let newAlerts = 0;
  let size = opts.pieceRows ?? 1000;
  for (let lo = 0; lo < last; ) {
    const hi = Math.min(last, lo + size);
    const t0 = performance.now();
    newAlerts += withoutForeignKeys(db, () => piece(lo, hi));
    const ms = performance.now() - t0;
    if (!opts.pieceRows) size = nextPieceSize(size, ms);
    lo = hi;
    // No pause after the last piece: a file of one piece costs no more than before.
    if (lo < last) await between();
  }
  return newAlerts;
}


/** Delete, in short pieces as well, every alert (with its light curve and features) a merge had committed. */
async function rollBackMerge(db: Db, sourceFileId: number, opts: MergeOptions): Promise<void> {
  const between = opts.between ?? pauseForOtherWriters;
  while (deleteMergedPiece(db, sourceFileId) > 0) await between();
}

export { alreadyIngested, likelyIngested, recordFailedFile, rollBackInterruptedMerges };
