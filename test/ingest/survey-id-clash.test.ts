/**
 * An alert id is unique across the store's surveys: an LSST diaSourceId that a stored ZTF alert has as candid (or a
 * ZTF candid a stored LSST alert has) is not a duplicate to skip but a clash. The file fails naming the field, and
 * the store keeps exactly what it had.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestFiles } from '../../core/ingest/ingest.js';
import { openStore, type Db } from '../../core/store/database.js';
import { readLsstAlerts } from '../../core/surveys/lsst/read.js';
import { alertTable, sampleRows, toParquet } from '../alerts/fixtures.js';
import { SHARED_DATA, sharedDataOrSkipReason } from '../helpers/shared-data.js';

const HAS = sharedDataOrSkipReason('survey-id-clash');
const REAL = `${SHARED_DATA}/fink-lsst/lsstcam_ddf_20260105_v10_0.parquet`;
const root = mkdtempSync(join(tmpdir(), 'id-clash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A ZTF file of 5 alerts, the third of which has candid `id`. */
function ztfFileWith(dir: string, id: string): string {
  const rows = sampleRows(5, 7);
  rows[2].candid = BigInt(id);
  const file = join(dir, 'ztf.parquet');
  writeFileSync(file, toParquet(alertTable(rows)));
  return file;
}

async function anLsstId(): Promise<string> {
  for await (const b of readLsstAlerts(REAL)) return b.diaSourceId[11];
  throw new Error('no LSST alert');
}

const counts = (db: Db): Record<string, number> =>
  Object.fromEntries(
    ['alerts', 'lsst_alerts', 'alert_lc', 'features'].map((t) => [t, db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number]),
  );

describe.skipIf(!HAS)('an alert id held by the other survey', () => {
  it('fails an LSST file whose diaSourceId a stored ZTF alert has', async () => {
    const dir = mkdtempSync(join(root, 'a-'));
    const db = openStore(join(dir, 'vra.sqlite'));
    const ztf = await ingestFiles(db, [ztfFileWith(dir, await anLsstId())], { stagingDir: dir });
    expect(ztf.files[0]).toMatchObject({ ok: true, newAlerts: 5 });
    const before = counts(db);
    const s = await ingestFiles(db, [REAL], { stagingDir: dir });
    expect(s.files[0].ok).toBe(false);
    expect(s.files[0].error).toBe(
      `${REAL}: field 'diaSource.diaSourceId': an alert of ZTF in the store already has this id; the file was not ingested`,
    );
    expect(counts(db)).toEqual(before);
    expect(db.prepare("SELECT COUNT(*) FROM alerts WHERE survey = 'lsst'").pluck().get()).toBe(0);
    db.close();
  });

  it('fails a ZTF file whose candid a stored LSST alert has', async () => {
    const dir = mkdtempSync(join(root, 'b-'));
    const db = openStore(join(dir, 'vra.sqlite'));
    const lsst = await ingestFiles(db, [REAL], { stagingDir: dir });
    expect(lsst.files[0]).toMatchObject({ ok: true, newAlerts: 25 });
    const before = counts(db);
    const file = ztfFileWith(dir, await anLsstId());
    const s = await ingestFiles(db, [file], { stagingDir: dir });
    expect(s.files[0].ok).toBe(false);
    expect(s.files[0].error).toBe(
      `${file}: field 'candid': an alert of Rubin/LSST in the store already has this id; the file was not ingested`,
    );
    expect(counts(db)).toEqual(before);
    expect(db.prepare("SELECT COUNT(*) FROM alerts WHERE survey = 'ztf'").pluck().get()).toBe(0);
    db.close();
  });
});
