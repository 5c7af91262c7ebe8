/**
 * A store holding the 25 real LSSTCam alerts (shared/data/fink-lsst), written with writeLsstFile, optionally with
 * their stamps in a per-file sidecar written by CutoutWriter, as the ingest does.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type Db } from '../../core/store/database.js';
import { CutoutWriter, ensureCutoutsDir, newCutoutsFileName } from '../../core/store/cutouts.js';
import { writeLsstFile } from '../../core/store/lsst-alerts.js';
import type { LsstBatch } from '../../core/surveys/lsst/batch.js';
import { readLsstAlerts } from '../../core/surveys/lsst/read.js';
import type { DustMap } from '../../core/features/dust.js';
import { SHARED_DATA } from './shared-data.js';

export const LSST_REAL = `${SHARED_DATA}/fink-lsst/lsstcam_ddf_20260105_v10_0.parquet`;
export const HAS_LSST = existsSync(LSST_REAL);

export function lsstDataOrSkipReason(suite: string): boolean {
  if (!HAS_LSST) console.warn(`[${suite}] skipped: ${LSST_REAL} is absent (real Fink LSST data lives in ../shared/data)`);
  return HAS_LSST;
}

export async function readLsstBatches(withCutouts = false): Promise<LsstBatch[]> {
  const out: LsstBatch[] = [];
  for await (const b of readLsstAlerts(LSST_REAL, { withCutouts })) out.push(b);
  return out;
}

/** Writes the real LSST file into `db` (a file store for cutouts); returns the batches read (with stamps when asked). */
export interface RealLsstOptions {
  cutouts?: boolean;
  dust?: DustMap | null;
  /** Changes the batches before they are written (e.g. to give two alerts one object). */
  edit?: (batches: LsstBatch[]) => void;
}

export async function addRealLsst(db: Db, opts: RealLsstOptions = {}): Promise<LsstBatch[]> {
  const batches = await readLsstBatches(opts.cutouts ?? false);
  opts.edit?.(batches);
  writeLsstFile(db, { path: LSST_REAL, sha256: 'l'.repeat(64), sizeBytes: 1 }, batches, opts.dust ?? null);
  if (opts.cutouts) {
    const name = newCutoutsFileName();
    const w = new CutoutWriter(join(ensureCutoutsDir(db), name));
    for (const b of batches) w.addBatch(b.diaSourceId, b.cutouts!);
    w.close();
    db.prepare('UPDATE source_files SET cutouts_file = ? WHERE path = ?').run(name, LSST_REAL);
  }
  return batches;
}

export async function lsstStore(dir: string, opts: RealLsstOptions = {}): Promise<{ db: Db; batches: LsstBatch[] }> {
  const db = openStore(join(dir, 'lsst.sqlite'));
  return { db, batches: await addRealLsst(db, opts) };
}
