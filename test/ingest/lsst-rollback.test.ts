/**
 * Undoing a merge (a failed piece, or a process that died mid-merge) removes every row the file added, LSST ones
 * included: lsst_alerts rows reference their alert, so they must go with it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alreadyIngested, mergeStaging, rollBackInterruptedMerges } from '../../core/ingest/merge.js';
import { LsstStagingWriter } from '../../core/store/lsst-staging.js';
import { openStore, type Db } from '../../core/store/database.js';
import { deleteMergedPiece } from '../../core/store/merge-marks.js';
import { writeLsstFile } from '../../core/store/lsst-alerts.js';
import type { LsstBatch } from '../../core/surveys/lsst/batch.js';
import { readLsstAlerts } from '../../core/surveys/lsst/read.js';
import { SHARED_DATA } from '../helpers/shared-data.js';

const REAL = `${SHARED_DATA}/fink-lsst/lsstcam_ddf_20260105_v10_0.parquet`;
const HAS = existsSync(REAL);
if (!HAS) console.warn(`[lsst-rollback] skipped: ${REAL} is absent (real Fink LSST data lives in ../shared/data)`);

const root = mkdtempSync(join(tmpdir(), 'lsst-rollback-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const count = (db: Db, table: string): number => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

describe.skipIf(!HAS)('deleteMergedPiece on LSST alerts', () => {
  it('removes the lsst_alerts rows with their alerts, light curves and features', async () => {
    const db = openStore(':memory:');
    const batches: LsstBatch[] = [];
    for await (const b of readLsstAlerts(REAL)) batches.push(b);
    writeLsstFile(db, { path: REAL, sha256: 'a'.repeat(64), sizeBytes: 1 }, batches);
    const id = db.prepare('SELECT id FROM source_files').pluck().get() as number;
    expect([count(db, 'alerts'), count(db, 'lsst_alerts'), count(db, 'alert_lc'), count(db, 'features')]).toEqual([25, 25, 25, 25]);
    expect(deleteMergedPiece(db, id)).toBe(25);
    expect(deleteMergedPiece(db, id)).toBe(0);
    expect([count(db, 'alerts'), count(db, 'lsst_alerts'), count(db, 'alert_lc'), count(db, 'features')]).toEqual([0, 0, 0, 0]);
    db.close();
  });
});

async function realBatches(): Promise<LsstBatch[]> {
  const out: LsstBatch[] = [];
  for await (const b of readLsstAlerts(REAL)) out.push(b);
  return out;
}

/** The real file staged as ingest stages it. */
async function staged(dir: string): Promise<string> {
  const path = join(dir, 'staged.sqlite');
  const w = new LsstStagingWriter(path, null);
  for (const b of await realBatches()) w.writeBatch(b);
  w.close();
  return path;
}

const tables = (db: Db): number[] => ['alerts', 'lsst_alerts', 'alert_lc', 'features', 'source_files'].map((t) => count(db, t));

describe.skipIf(!HAS)('an LSST merge that fails or is interrupted mid-way', () => {
  it('fails in its third piece: the two committed pieces are undone, lsst_alerts included', async () => {
    const dir = mkdtempSync(join(root, 'f-'));
    const db = openStore(join(dir, 'vra.sqlite'));
    const path = await staged(dir);
    let pieces = 0;
    const failing = mergeStaging(db, path, { path: REAL, sha256: 'f', sizeBytes: 1 }, 25, null, {
      survey: 'lsst',
      pieceRows: 5,
      between: async () => {
        // Two pieces (10 alerts) are committed; the third cannot write its lsst_alerts rows.
        if (++pieces === 2) {
          expect(count(db, 'lsst_alerts')).toBe(10);
          db.exec("CREATE TEMP TRIGGER boom BEFORE INSERT ON main.lsst_alerts BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
        }
      },
    });
    await expect(failing).rejects.toThrow(/disk on fire/);
    db.exec('DROP TRIGGER temp.boom');
    expect(tables(db)).toEqual([0, 0, 0, 0, 0]);
    // Merged again, the file adds all its alerts.
    expect((await mergeStaging(db, path, { path: REAL, sha256: 'f', sizeBytes: 1 }, 25, null, { survey: 'lsst' })).newAlerts).toBe(25);
    expect(tables(db)).toEqual([25, 25, 25, 25, 1]);
    db.close();
  });

  it('whose process died is rolled back by the next merge, lsst_alerts included', async () => {
    const dir = mkdtempSync(join(root, 'i-'));
    const file = join(dir, 'vra.sqlite');
    const db = openStore(file);
    const path = await staged(dir);
    let pieces = 0;
    void mergeStaging(db, path, { path: REAL, sha256: 'c', sizeBytes: 1 }, 25, null, {
      survey: 'lsst',
      pieceRows: 5,
      between: () => (++pieces === 2 ? new Promise<void>(() => {}) : Promise.resolve()),
    });
    await new Promise((ok) => setTimeout(ok, 50));
    const other = openStore(file);
    expect(count(other, 'lsst_alerts')).toBe(10);
    // The merging process is gone (pid 2^22 + 1 is above Linux's pid_max).
    other.prepare("UPDATE source_files SET error = replace(error, ?, '4194305')").run(String(process.pid));
    expect(rollBackInterruptedMerges(other)).toBe(1);
    expect(tables(other).slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(alreadyIngested(other, 'c')).toBeUndefined();
    other.close();
  });
});
