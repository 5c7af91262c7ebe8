/**
 * A store holding both surveys: the real ZTF alerts of ../shared/data/fink-ztf (ingested) and the 25 real LSSTCam
 * alerts (written by the direct LSST writer), built once per run and copied for each test.
 */
import { copyFileSync, existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFiles } from '../../core/ingest/ingest.js';
import { openStore, type Db } from '../../core/store/database.js';
import { writeLsstFile } from '../../core/store/lsst-alerts.js';
import type { LsstBatch } from '../../core/surveys/lsst/batch.js';
import { readLsstAlerts } from '../../core/surveys/lsst/read.js';
import { FINK_ZTF, SHARED_DATA } from '../helpers/shared-data.js';

export const LSST_FILE = `${SHARED_DATA}/fink-lsst/lsstcam_ddf_20260105_v10_0.parquet`;
export const HAS_MIXED = existsSync(FINK_ZTF) && existsSync(LSST_FILE);

/** Why the mixed-store suites skip, printed once by the suite that calls it. */
export function mixedOrSkipReason(suite: string): boolean {
  if (!HAS_MIXED) console.warn(`[${suite}] skipped: ${FINK_ZTF} or ${LSST_FILE} is absent (real Fink data lives in ../shared/data)`);
  return HAS_MIXED;
}

export async function lsstBatches(): Promise<LsstBatch[]> {
  const out: LsstBatch[] = [];
  for await (const b of readLsstAlerts(LSST_FILE)) out.push(b);
  return out;
}

/** Adds the 25 real LSST alerts to a store; returns their diaSourceIds. */
export async function addRealLsst(db: Db): Promise<string[]> {
  const bs = await lsstBatches();
  writeLsstFile(db, { path: LSST_FILE, sha256: 'l'.repeat(64), sizeBytes: statSync(LSST_FILE).size }, bs);
  return bs.flatMap((b) => [...b.diaSourceId]);
}

let template: string | null = null;

/** A fresh copy of the mixed store (real ZTF + real LSST) in its own folder. */
export async function mixedStore(): Promise<{ db: Db; dbPath: string; dir: string }> {
  if (!template) {
    const t = join(mkdtempSync(join(tmpdir(), 'finkvra-mixed-')), 'template.sqlite');
    const db = openStore(t);
    await ingestFiles(db, [FINK_ZTF], { withCutouts: false, dust: null, readInThread: false });
    await addRealLsst(db);
    db.close();
    template = t;
  }
  const dir = mkdtempSync(join(tmpdir(), 'finkvra-mixed-'));
  const dbPath = join(dir, 'store.sqlite');
  copyFileSync(template, dbPath);
  return { db: openStore(dbPath), dbPath, dir };
}
