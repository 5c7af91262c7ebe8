/**
 * The direct LSST writer (core/store/lsst-alerts.ts) on the 25 real LSSTCam alerts: every alert lands once with its
 * survey, exact ids, night, light curve and features; a re-write adds nothing; an id held by a ZTF alert is refused
 * with the whole file rolled back.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../core/store/database.js';
import { SurveyIdClash, writeLsstFile } from '../../core/store/lsst-alerts.js';
import { LSST_SET_VERSION } from '../../core/features/names.js';
import { LSST_FEATURE_NAMES } from '../../core/surveys/lsst/features.js';
import type { LsstBatch } from '../../core/surveys/lsst/batch.js';
import { readLsstAlerts } from '../../core/surveys/lsst/read.js';
import { decodeLsstLc } from '../../core/surveys/lsst/packed-lc.js';
import { blobToVector } from '../../core/store/features.js';
import { SHARED_DATA } from '../helpers/shared-data.js';

const REAL = `${SHARED_DATA}/fink-lsst/lsstcam_ddf_20260105_v10_0.parquet`;
const HAS = existsSync(REAL);
if (!HAS) console.warn(`[lsst-alerts] skipped: ${REAL} is absent (real Fink LSST data lives in ../shared/data)`);

async function batches(): Promise<LsstBatch[]> {
  const out: LsstBatch[] = [];
  for await (const b of readLsstAlerts(REAL)) out.push(b);
  return out;
}

const file = { path: REAL, sha256: 'x'.repeat(64), sizeBytes: 1 };

describe.skipIf(!HAS)('writeLsstFile on the real LSSTCam alerts', () => {
  it('stores each alert once, as LSST, with what the batch holds', async () => {
    const db = openStore(':memory:');
    const bs = await batches();
    const b = bs[0];
    expect(writeLsstFile(db, file, bs)).toBe(25);
    const rows = db.prepare("SELECT candid, object_id, jd, night, fid, survey FROM alerts WHERE survey = 'lsst' ORDER BY candid").all() as {
      candid: string; object_id: string; jd: number; night: string; fid: number; survey: string;
    }[];
    expect(rows.length).toBe(25);
    const i = b.diaSourceId.indexOf(rows[0].candid);
    expect(rows[0].jd).toBe(b.source.midpointMjdTai[i] + 2400000.5);
    // 05:18 UT on 2026-01-01 is the night begun on 2025-12-31 (dayObs).
    expect(new Set(rows.map((r) => r.night))).toEqual(new Set(['2025-12-31']));
    // Solar-system sources (diaObjectId 0 in the file) are their ss object; the others their diaObject, exactly.
    for (const r of rows) {
      const k = b.diaSourceId.indexOf(r.candid);
      expect(r.object_id).toBe(b.diaObjectId[k] ?? `ss:${b.ssObjectId[k]}`);
    }
    expect(rows.filter((r) => r.object_id.startsWith('ss:')).length).toBe(3);
    // The light curve holds the previous sources (40 across the file) and the alert itself.
    const points = (db.prepare('SELECT l.data FROM alert_lc l JOIN alerts a USING (candid) WHERE a.survey = ?').all('lsst') as { data: Buffer }[])
      .map((r) => decodeLsstLc(r.data).length)
      .reduce((s, n) => s + n, 0);
    const prvNotSelf = b.prvDiaSources.id.filter((id, k) => {
      const owner = [...b.prvDiaSources.offsets].findIndex((o, j) => j < b.length && k >= o && k < b.prvDiaSources.offsets[j + 1]);
      return id !== b.diaSourceId[owner];
    }).length;
    expect(points).toBe(25 + prvNotSelf);
    const f = db.prepare('SELECT ndets, vector FROM features WHERE candid = ? AND feature_set = ?').get(rows[0].candid, LSST_SET_VERSION) as {
      ndets: number; vector: Buffer;
    };
    const v = blobToVector(f.vector);
    expect(v.length).toBe(LSST_FEATURE_NAMES.length);
    expect(f.ndets).toBe(v[LSST_FEATURE_NAMES.indexOf('ndet')]);
    expect(v[LSST_FEATURE_NAMES.indexOf('reliability')]).toBeCloseTo(b.source.reliability[i], 12);
    expect(writeLsstFile(db, { ...file, sha256: 'y'.repeat(64) }, bs)).toBe(0);
    db.close();
  });

  it('refuses an id a ZTF alert holds, leaving the store as it was', async () => {
    const db = openStore(':memory:');
    const bs = await batches();
    const clash = bs[0].diaSourceId[7];
    db.prepare(`INSERT INTO source_files (path, sha256, size_bytes, ingested_at) VALUES ('z', 'z', 1, 'now')`).run();
    db.prepare(`INSERT INTO alerts (candid, object_id, jd, night, fid, ra, dec, source_file_id) VALUES (?, 'ZTF1', 2460000.5, '2023-02-24', 1, 0, 0, 1)`).run(clash);
    expect(() => writeLsstFile(db, file, bs)).toThrow(SurveyIdClash);
    expect(db.prepare('SELECT COUNT(*) FROM alerts').pluck().get()).toBe(1);
    expect(db.prepare('SELECT COUNT(*) FROM source_files').pluck().get()).toBe(1);
    db.close();
  });
});
