/**
 * LSST files through ingestFiles: the real LSSTCam alerts and the empty 7.4 / 9.0 / 10.0 templates, a Rubin avro
 * file, bad files, re-ingest, a mixed ZTF + LSST ingest, ids that clash across surveys, and data.ingest through the
 * API. The staged ingest must store exactly what the direct writer (core/store/lsst-alerts.ts) stores.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DustMap } from '../../core/features/dust.js';
import { LSST_SET_VERSION } from '../../core/features/names.js';
import { ingestFiles } from '../../core/ingest/ingest.js';
import { readCutouts } from '../../core/store/cutouts.js';
import { openStore, type Db } from '../../core/store/database.js';
import { writeLsstFile } from '../../core/store/lsst-alerts.js';
import type { LsstBatch } from '../../core/surveys/lsst/batch.js';
import { readLsstAlerts } from '../../core/surveys/lsst/read.js';
import { FINK_ZTF, SHARED_DATA, sharedDataOrSkipReason } from '../helpers/shared-data.js';

const HAS = sharedDataOrSkipReason('lsst-ingest');
const LSST_DIR = `${SHARED_DATA}/fink-lsst`;
const REAL = `${LSST_DIR}/lsstcam_ddf_20260105_v10_0.parquet`;
const TEMPLATES = ['schema_lsst.v10_0_empty.parquet', 'schema_lsst.v7_4_empty.parquet', 'schema_lsst.v9_0_empty.parquet'];

const root = mkdtempSync(join(tmpdir(), 'lsst-ingest-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
/** A fresh file-backed store (cutouts need a sidecar folder); its folder also takes staging and test files. */
function store(): { db: Db; dir: string; staging: string } {
  const dir = mkdtempSync(join(root, 'store-'));
  return { db: openStore(join(dir, 'vra.sqlite')), dir, staging: dir };
}

/** A position-dependent E(B-V), so a feature row built with another map (or none) would differ. */
const DUST: DustMap = { kind: 'healpix', source: 'test', ebv: (ra, dec) => 0.001 * ra + 0.01 * Math.abs(dec) };

const count = (db: Db, sql: string, ...args: unknown[]): number => db.prepare(sql).pluck().get(...args) as number;

async function realBatches(withCutouts = false): Promise<LsstBatch[]> {
  const out: LsstBatch[] = [];
  for await (const b of readLsstAlerts(REAL, { withCutouts })) out.push(b);
  return out;
}

/** Every row of the tables an LSST alert fills, in a fixed order (source_file_id left out: it is the store's). */
function lsstTables(db: Db): Record<string, unknown[]> {
  const all = (sql: string): unknown[] => db.prepare(sql).raw().all();
  return {
    alerts: db
      .prepare('SELECT * FROM alerts ORDER BY candid')
      .all()
      .map((r) => ({ ...(r as Record<string, unknown>), source_file_id: undefined })),
    lsst_alerts: all('SELECT * FROM lsst_alerts ORDER BY candid'),
    alert_lc: all('SELECT candid, data FROM alert_lc ORDER BY candid'),
    features: all('SELECT candid, feature_set, ndets, vector FROM features ORDER BY candid, feature_set'),
    types: all('SELECT typeof(jd), typeof(ra), typeof(magpsf), typeof(fid) FROM alerts ORDER BY candid'),
  };
}

describe.skipIf(!HAS)('ingesting the real LSST files', () => {
  it('ingests all 4 (templates: 0 rows; the real file: 25 new alerts), row for row as the direct writer does', async () => {
    const a = store();
    const s = await ingestFiles(a.db, [LSST_DIR], { dust: DUST, stagingDir: a.staging });
    expect(s.failed).toBe(0);
    const byName = new Map(s.files.map((f) => [basename(f.file), f]));
    for (const t of TEMPLATES) expect(byName.get(t), t).toMatchObject({ ok: true, rows: 0, newAlerts: 0 });
    expect(byName.get(basename(REAL))).toMatchObject({ ok: true, rows: 25, newAlerts: 25, duplicates: 0 });
    expect(count(a.db, "SELECT COUNT(*) FROM alerts WHERE survey = 'lsst'")).toBe(25);
    expect(count(a.db, 'SELECT COUNT(*) FROM features WHERE feature_set = ?', LSST_SET_VERSION)).toBe(25);

    const b = store();
    writeLsstFile(b.db, { path: REAL, sha256: 'x'.repeat(64), sizeBytes: 1 }, await realBatches(), DUST);
    const got = lsstTables(a.db);
    const want = lsstTables(b.db);
    for (const t of Object.keys(want)) expect(got[t], t).toEqual(want[t]);
    expect(got.lsst_alerts.length).toBe(25);
    a.db.close();
    b.db.close();
  });

  it('stores the same rows when the file is read in batches of 4 (7 batches: 6 of 4 and 1)', async () => {
    const a = store();
    const batches: number[] = [];
    const s = await ingestFiles(a.db, [REAL], {
      stagingDir: a.staging,
      batchSize: 4,
      dust: DUST,
      onProgress: (p) => batches.push(p.alerts),
    });
    // Progress is reported before the file and after each batch.
    expect(batches.slice(0, 8)).toEqual([0, 4, 8, 12, 16, 20, 24, 25]);
    expect(s.files[0]).toMatchObject({ ok: true, rows: 25, newAlerts: 25 });
    const b = store();
    await ingestFiles(b.db, [REAL], { stagingDir: b.staging, dust: DUST });
    expect(lsstTables(a.db)).toEqual(lsstTables(b.db));
    a.db.close();
    b.db.close();
  });

  it('keeps the stamps as the file holds them, by diaSourceId', async () => {
    const a = store();
    await ingestFiles(a.db, [REAL], { stagingDir: a.staging });
    const [b] = await realBatches(true);
    let seen = 0;
    for (let i = 0; i < b.length; i++) {
      const c = readCutouts(a.db, b.diaSourceId[i]);
      expect(c, b.diaSourceId[i]).toBeDefined();
      for (const k of ['science', 'template', 'difference'] as const) {
        const want = b.cutouts?.[k][i] ?? null;
        expect(c?.[k] ? Buffer.compare(c[k], Buffer.from(want ?? [])) : want).toBe(want === null ? null : 0);
        if (want) seen++;
      }
    }
    expect(seen).toBeGreaterThan(0);
    a.db.close();
  });

  it('skips a re-ingest, and de-duplicates on diaSourceId against the store (the same alerts in another file)', async () => {
    const a = store();
    await ingestFiles(a.db, [LSST_DIR], { stagingDir: a.staging });
    const again = await ingestFiles(a.db, [LSST_DIR], { stagingDir: a.staging });
    expect(again.files.every((f) => f.ok && f.skipped === 'already-ingested')).toBe(true);
    expect(again.newAlerts).toBe(0);
    // The same bytes under another name: skipped too.
    const copy = join(a.dir, 'copy.parquet');
    copyFileSync(REAL, copy);
    const same = await ingestFiles(a.db, [copy], { stagingDir: a.staging });
    expect(same.files[0]).toMatchObject({ ok: true, skipped: 'already-ingested' });
    expect(count(a.db, 'SELECT COUNT(*) FROM alerts')).toBe(25);
    // The same alerts already stored by another file (here: the direct writer): read, staged, and all duplicates.
    const b = store();
    writeLsstFile(b.db, { path: 'elsewhere', sha256: 'e'.repeat(64), sizeBytes: 1 }, await realBatches());
    const dup = await ingestFiles(b.db, [REAL], { stagingDir: b.staging });
    expect(dup.files[0]).toMatchObject({ ok: true, rows: 25, newAlerts: 0, duplicates: 25 });
    expect([count(b.db, 'SELECT COUNT(*) FROM alerts'), count(b.db, 'SELECT COUNT(*) FROM lsst_alerts')]).toEqual([25, 25]);
    b.db.close();
    a.db.close();
  });

  it('takes ZTF and LSST folders in one call: both surveys, each with its own count', async () => {
    const ztfOnly = store();
    const z = await ingestFiles(ztfOnly.db, [FINK_ZTF], { stagingDir: ztfOnly.staging, withCutouts: false });
    expect(z.failed).toBe(0);
    const ztfAlerts = count(ztfOnly.db, 'SELECT COUNT(*) FROM alerts');
    // 366 distinct alerts in the parquet files and 11 in the avro one (test/ingest/real-data.test.ts).
    expect(ztfAlerts).toBe(377);
    const mixed = store();
    const s = await ingestFiles(mixed.db, [FINK_ZTF, LSST_DIR], { stagingDir: mixed.staging, withCutouts: false });
    expect(s.failed).toBe(0);
    expect(s.files.length).toBe(19);
    const bySurvey = Object.fromEntries(
      (mixed.db.prepare('SELECT survey, COUNT(*) AS n FROM alerts GROUP BY survey').all() as { survey: string; n: number }[]).map(
        (r) => [r.survey, r.n],
      ),
    );
    expect(bySurvey).toEqual({ ztf: ztfAlerts, lsst: 25 });
    expect(s.newAlerts).toBe(ztfAlerts + 25);
    expect(count(mixed.db, 'SELECT COUNT(*) FROM lsst_alerts')).toBe(25);
    // ZTF rows are exactly those of the ZTF-only store.
    const ztfRows = (db: Db): unknown[] => db.prepare("SELECT candid, object_id, jd, magpsf FROM alerts WHERE survey = 'ztf' ORDER BY candid").raw().all();
    expect(ztfRows(mixed.db)).toEqual(ztfRows(ztfOnly.db));
    ztfOnly.db.close();
    mixed.db.close();
  }, 120_000);

  it('reads LSST in process between ZTF files read (and prefetched) on the reader thread', async () => {
    const a = store();
    const ztfA = join(a.dir, 'a.parquet');
    const lsst = join(a.dir, 'b.parquet');
    const ztfC = join(a.dir, 'c.avro');
    copyFileSync(`${FINK_ZTF}/ztf_20220804_alert_samples.parquet`, ztfA);
    copyFileSync(REAL, lsst);
    copyFileSync(`${FINK_ZTF}/ztf_20191101_multi_alerts.avro`, ztfC);
    const s = await ingestFiles(a.db, [a.dir], { stagingDir: a.staging, readInThread: true });
    expect(s.files.map((f) => [basename(f.file), f.ok, f.newAlerts])).toEqual([
      ['a.parquet', true, 11],
      ['b.parquet', true, 25],
      ['c.avro', true, 11],
    ]);
    expect(count(a.db, "SELECT COUNT(*) FROM alerts WHERE survey = 'ztf'")).toBe(22);
    a.db.close();
  }, 60_000);

  it('fails a truncated and a corrupted LSST parquet alone, naming the file, and ingests the next', async () => {
    const a = store();
    const bytes = readFileSync(REAL);
    const truncated = join(a.dir, 'a_truncated.parquet');
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    // Data pages zeroed, footer intact: the schema still says LSST, the pages cannot be decoded.
    const corrupted = join(a.dir, 'b_corrupted.parquet');
    const bad = Buffer.from(bytes);
    const footer = bad.readUInt32LE(bad.length - 8);
    bad.fill(0, 4, bad.length - 8 - footer);
    writeFileSync(corrupted, bad);
    const good = join(a.dir, 'c_good.parquet');
    copyFileSync(REAL, good);
    const s = await ingestFiles(a.db, [truncated, corrupted, good], { stagingDir: a.staging });
    expect(s.files.map((f) => f.ok)).toEqual([false, false, true]);
    expect(s.files[0].error?.startsWith(`${truncated}: `)).toBe(true);
    expect(s.files[0].error).toMatch(/truncated/);
    expect(s.files[1].error?.startsWith(`${corrupted}: `)).toBe(true);
    expect(s.files[2].newAlerts).toBe(25);
    expect(count(a.db, 'SELECT COUNT(*) FROM alerts')).toBe(25);
    expect(count(a.db, 'SELECT COUNT(*) FROM source_files WHERE error IS NOT NULL')).toBe(2);
    a.db.close();
  });
});
