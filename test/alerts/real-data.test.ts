/**
 * Every file of ../shared/data/fink-ztf, read in place and compared with the data README and with DuckDB as an
 * independent parquet reader (candid as VARCHAR, history counts and sums computed in SQL).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../core/alerts/alert.js';
import { AlertFileError } from '../../core/alerts/errors.js';
import { countRows, listAlertFiles, readAlertBatches } from '../../core/alerts/reader.js';
import { README_ROWS } from '../helpers/shared-data.js';

const dataDir = fileURLToPath(new URL('../../../shared/data/fink-ztf', import.meta.url));
const exists = existsSync(dataDir);
if (!exists) console.warn(`test/alerts/real-data: skipped, ${dataDir} is absent (the shared Fink ZTF files)`);


/** lc_features_g / _r non-null rows, README §2 (files without the columns: 0 / 0). */
const README_LC: Record<string, [number, number]> = {
  'superluminous_test_alerts.parquet': [17, 16],
  'few_SLSN_alerts.parquet': [52, 54],
  'hostless_detection_202404.parquet': [63, 63],
  'ztf_20250614_regular.parquet': [6, 8],
  'dwarf_agn_20231101.parquet': [1, 1],
  'sso_20250114.parquet': [0, 1],
  'sso_20250116.parquet': [0, 1],
  'sso_20250131.parquet': [1, 0],
  'ztf_20190903_science_fink2.9.parquet': [1, 2],
};

/** Rows whose prv_candidates is null rather than a list, README §3. */
const README_NULL_PRV: Record<string, number> = {
  'ztf_20211122_xmatch_sample_a.parquet': 1,
  'ztf_20211122_xmatch_sample_b.parquet': 4,
  'superluminous_test_alerts.parquet': 4,
  'few_SLSN_alerts.parquet': 1,
  'ztf_20250614_regular.parquet': 1,
};

const byFile = new Map<string, Alert[]>();
let files: string[] = [];
let duck: DuckDBConnection;
let closeDuck: () => void = () => undefined;

interface DuckRow {
  candid: string;
  objectId: string;
  jd: number;
  fid: number;
  magpsf: number;
  nprv: number;
  nulls: number;
  nullprv: boolean;
  sumjd: number | null;
  summag: number | null;
}

async function sql<T>(query: string): Promise<T[]> {
  return (await duck.runAndReadAll(query)).getRowObjects() as T[];
}

async function duckColumns(file: string): Promise<Set<string>> {
  const rows = await sql<{ column_name: string }>(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
  return new Set(rows.map((r) => r.column_name));
}

const base = (f: string) => path.basename(f);
const all = (): Alert[] => [...byFile.values()].flat();

describe.skipIf(!exists)('real Fink ZTF files (../shared/data/fink-ztf)', () => {
  beforeAll(async () => {
    files = await listAlertFiles([dataDir]);
    for (const f of files) {
      const alerts: Alert[] = [];
      for await (const batch of readAlertBatches(f)) alerts.push(...batch.alerts);
      byFile.set(base(f), alerts);
    }
    const db = await DuckDBInstance.create(':memory:');
    duck = await db.connect();
    closeDuck = () => {
      duck.closeSync();
      db.closeSync();
    };
  });
  afterAll(() => closeDuck());

  it('lists and reads every file, with the README row counts', async () => {
    expect(files.map(base).sort()).toEqual(Object.keys(README_ROWS).sort());
    for (const f of files) {
      expect([base(f), byFile.get(base(f))?.length]).toEqual([base(f), README_ROWS[base(f)]]);
      expect(await countRows(f)).toBe(README_ROWS[base(f)]);
    }
  });

  it('has 366 distinct parquet candids + 11 avro, and superluminous holds all 57 of sample_b', () => {
    const parquet = new Set(files.filter((f) => f.endsWith('.parquet')).flatMap((f) => byFile.get(base(f))!.map((a) => a.candid)));
    const avro = new Set(byFile.get('ztf_20191101_multi_alerts.avro')!.map((a) => a.candid));
    expect(parquet.size).toBe(366);
    expect(avro.size).toBe(11);
    expect(new Set([...parquet, ...avro]).size).toBe(377);
    const slsn = new Set(byFile.get('superluminous_test_alerts.parquet')!.map((a) => a.candid));
    const sampleB = byFile.get('ztf_20211122_xmatch_sample_b.parquet')!;
    expect(sampleB.filter((a) => slsn.has(a.candid))).toHaveLength(57);
  });

  it('matches DuckDB row by row: candid (exact, as VARCHAR), objectId, candidate, history counts and sums', async () => {
    for (const f of files.filter((x) => x.endsWith('.parquet'))) {
      const rows = await sql<DuckRow>(`
        SELECT candid::VARCHAR AS candid, objectId, candidate.jd AS jd, candidate.fid::INTEGER AS fid,
               candidate.magpsf::DOUBLE AS magpsf,
               coalesce(len(prv_candidates), 0)::INTEGER AS nprv,
               coalesce(len(list_filter(prv_candidates, lambda x: x.magpsf IS NULL)), 0)::INTEGER AS nulls,
               prv_candidates IS NULL AS nullprv,
               list_sum(list_transform(prv_candidates, lambda x: x.jd)) AS sumjd,
               list_sum(list_transform(prv_candidates, lambda x: x.magpsf::DOUBLE)) AS summag
        FROM read_parquet('${f}')`);
      const alerts = byFile.get(base(f))!;
      expect(alerts.map((a) => a.candid), base(f)).toEqual(rows.map((r) => r.candid));
      expect(alerts.map((a) => a.objectId)).toEqual(rows.map((r) => r.objectId));
      alerts.forEach((a, i) => {
        const r = rows[i];
        expect([a.jd, a.fid, a.magpsf]).toEqual([r.jd, r.fid, r.magpsf]);
        expect(a.history.length).toBe(r.nprv);
        expect(a.history.filter((p) => p.magpsf === null).length).toBe(r.nulls);
        const sumjd = a.history.reduce((s, p) => s + p.jd, 0);
        const summag = a.history.reduce((s, p) => s + (p.magpsf ?? 0), 0);
        expect(sumjd).toBeCloseTo(r.sumjd ?? 0, 4);
        expect(summag).toBeCloseTo(r.summag ?? 0, 6);
      });
      const nullPrv = rows.filter((r) => r.nullprv).length;
      expect(nullPrv).toBe(README_NULL_PRV[base(f)] ?? 0);
    }
  });

  it('matches DuckDB on cdsxmatch, roid, finkclass (dictionary in pandas files) and tnsclass', async () => {
    for (const f of files.filter((x) => x.endsWith('.parquet'))) {
      const cols = await duckColumns(f);
      const pick = (c: string, cast: string) => (cols.has(c) ? `${c}::${cast}` : 'NULL');
      const rows = await sql<{ cdsxmatch: string | null; roid: number | null; finkclass: string | null; tnsclass: string | null }>(`
        SELECT ${pick('cdsxmatch', 'VARCHAR')} AS cdsxmatch, ${pick('roid', 'INTEGER')} AS roid,
               ${pick('finkclass', 'VARCHAR')} AS finkclass, ${pick('tnsclass', 'VARCHAR')} AS tnsclass
        FROM read_parquet('${f}')`);
      const alerts = byFile.get(base(f))!;
      expect(
        alerts.map((a) => ({ cdsxmatch: a.cdsxmatch, roid: a.roid, finkclass: a.finkclass, tnsclass: a.tnsclass })),
        base(f),
      ).toEqual(rows);
    }
  });

  it('has the README labels where it says so', () => {
    const get = (f: string) => byFile.get(f)!;
    expect(get('ztf_20190903_raw_alerts.parquet').every((a) => a.cdsxmatch === null && a.roid === null)).toBe(true);
    expect(get('dwarf_agn_20231101.parquet')[0].cdsxmatch).toBe('Seyfert_1');
    expect(get('ztf_20250614_regular.parquet').filter((a) => a.roid === 2)).toHaveLength(2);
    expect(get('ztf_20220804_alert_samples.parquet').filter((a) => a.roid === 3)).toHaveLength(5);
    for (const f of ['sso_20250114.parquet', 'sso_20250116.parquet', 'sso_20250131.parquet']) expect(get(f)[0].roid).toBe(3);
    expect(get('few_SLSN_alerts.parquet').every((a) => /^\(TNS\) SLSN-I{1,2}$/.test(a.tnsclass ?? ''))).toBe(true);
    expect(new Set(get('few_SLSN_alerts.parquet').map((a) => a.finkclass))).toEqual(
      new Set(['Ambiguous', 'SN candidate', 'Supernova', 'Unknown']),
    );
    expect(new Set(get('ztf_20211122_xmatch_sample_a.parquet').map((a) => a.cdsxmatch)).size).toBe(49);
    expect(new Set(get('ztf_20211122_xmatch_sample_b.parquet').map((a) => a.cdsxmatch)).size).toBe(41);
    expect(new Set(get('hostless_detection_202404.parquet').map((a) => a.cdsxmatch)).size).toBe(48);
    const avroLabels = get('ztf_20191101_multi_alerts.avro').map((a) => a.cdsxmatch);
    expect(avroLabels.filter((c) => c === 'Unknown')).toHaveLength(7);
    expect(avroLabels.filter((c) => c === 'EB*')).toHaveLength(3);
    expect(avroLabels.filter((c) => c === 'QSO')).toHaveLength(1);
    // superluminous repeats sample_b's alerts with the older SIMBAD names.
    const slsn = new Map(get('superluminous_test_alerts.parquet').map((a) => [a.candid, a.cdsxmatch]));
    const renamed = get('ztf_20211122_xmatch_sample_b.parquet').filter(
      (a) => a.cdsxmatch === 'RRLyrae' && slsn.get(a.candid) === 'RRLyr',
    );
    expect(renamed.length).toBeGreaterThan(0);
  });

  it('has the README counts of lc_features rows (null or all-null → null)', () => {
    for (const f of files) {
      const alerts = byFile.get(base(f))!;
      const counts = [alerts.filter((a) => a.lcFeaturesG).length, alerts.filter((a) => a.lcFeaturesR).length];
      expect([base(f), ...counts]).toEqual([base(f), ...(README_LC[base(f)] ?? [0, 0])]);
    }
    const lc = byFile.get('few_SLSN_alerts.parquet')!.find((a) => a.lcFeaturesG)!.lcFeaturesG!;
    expect(Object.keys(lc)).toHaveLength(26);
    expect(Object.keys(lc)).toContain('linear_fit_slope_sigma');
  });

  it('reads classifier scores of every writer: columns, t2 as map and as struct, avro rfscore/snn', () => {
    const keys = (f: string) => new Set(byFile.get(f)!.flatMap((a) => Object.keys(a.scores)));
    expect(keys('ztf_20211122_xmatch_sample_a.parquet')).toContain('rf_snia_vs_nonia');
    expect(keys('ztf_20190903_science_fink2.9.parquet')).toContain('t2_SNIa'); // map<string,float>
    expect(keys('hostless_detection_202404.parquet')).toContain('t2_SNIa'); // struct
    expect(keys('ztf_20191101_multi_alerts.avro')).toEqual(new Set(['rfscore', 'snn']));
    expect(keys('ztf_20190903_raw_alerts.parquet').size).toBe(0);
    expect(byFile.get('superluminous_test_alerts.parquet')!.filter((a) => 'slsn_score' in a.scores)).toHaveLength(17);
    for (const a of all()) for (const v of Object.values(a.scores)) expect(Number.isFinite(v)).toBe(true);
  });

  it('has fid, jd and positions on every alert; upper limits keep diffmaglim', () => {
    const badAlerts: string[] = [];
    const badPoints: string[] = [];
    let upper = 0;
    let detections = 0;
    for (const a of all()) {
      const ok =
        [1, 2, 3].includes(a.fid) &&
        a.jd > 2458700 &&
        a.jd < 2461100 &&
        a.ra >= 0 &&
        a.ra < 360 &&
        Math.abs(a.dec) <= 90 &&
        BigInt(a.candid) > 2n ** 53n;
      if (!ok) badAlerts.push(a.candid);
      for (const p of a.history) {
        if (![1, 2, 3].includes(p.fid)) badPoints.push(`${a.candid} fid ${p.fid}`);
        if (p.magpsf === null) {
          upper++;
          if (p.diffmaglim === null || p.sigmapsf !== null || p.isdiffpos !== null) badPoints.push(`${a.candid} upper ${p.jd}`);
        } else {
          detections++;
          if (p.isdiffpos !== 't' && p.isdiffpos !== 'f') badPoints.push(`${a.candid} isdiffpos ${p.jd}`);
        }
      }
    }
    expect(badAlerts).toEqual([]);
    expect(badPoints).toEqual([]);
    // "the files hold thousands of each"
    expect(upper).toBeGreaterThan(1000);
    expect(detections).toBeGreaterThan(1000);
    // The TDE file's history holds detections only.
    expect(byFile.get('tde_ZTF20abfcszi_202008.parquet')!.flatMap((a) => a.history).every((p) => p.magpsf !== null)).toBe(true);
  });

  it('refuses truncated copies (first half, written to a temp dir) of a real parquet and the avro', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'finkvra-real-cut-'));
    try {
      for (const [name, reason] of [
        ['few_SLSN_alerts.parquet', /^truncated parquet file/],
        ['ztf_20191101_multi_alerts.avro', /^truncated avro file/],
      ] as const) {
        const bytes = readFileSync(path.join(dataDir, name));
        const cut = path.join(tmp, name);
        writeFileSync(cut, bytes.subarray(0, bytes.length >> 1));
        let yielded = 0;
        const error = await (async () => {
          try {
            for await (const b of readAlertBatches(cut)) yielded += b.alerts.length;
          } catch (e) {
            return e;
          }
          return null;
        })();
        expect(error).toBeInstanceOf(AlertFileError);
        expect((error as AlertFileError).file).toBe(cut);
        expect((error as AlertFileError).reason).toMatch(reason);
        expect(yielded).toBe(0);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('keeps avro candids exact: each is in the file as its avro zigzag varint', () => {
    const bytes = readFileSync(path.join(dataDir, 'ztf_20191101_multi_alerts.avro'));
    const varint = (v: bigint): Buffer => {
      let z = (v << 1n) ^ (v >> 63n);
      const out: number[] = [];
      while (z >= 0x80n) {
        out.push(Number(z & 0x7fn) | 0x80);
        z >>= 7n;
      }
      out.push(Number(z));
      return Buffer.from(out);
    };
    const alerts = byFile.get('ztf_20191101_multi_alerts.avro')!;
    expect(alerts[0]).toMatchObject({ candid: '1034530232615015004', objectId: 'ZTF19acmbvwi' });
    for (const a of alerts) {
      expect(bytes.indexOf(varint(BigInt(a.candid)))).toBeGreaterThan(0);
      // One more than the candid is (almost surely) not there: the search can fail.
      expect(bytes.indexOf(varint(BigInt(a.candid) + 1n))).toBe(-1);
    }
  });

  it('reads cutouts (Spark, pandas and avro files) that gunzip to 63×63 FITS', async () => {
    for (const name of ['tde_ZTF20abfcszi_202008.parquet', 'ztf_20220804_alert_samples.parquet', 'ztf_20191101_multi_alerts.avro']) {
      let n = 0;
      for await (const batch of readAlertBatches(path.join(dataDir, name), { withCutouts: true })) {
        for (const a of batch.alerts) {
          for (const stamp of [a.cutouts?.science, a.cutouts?.template, a.cutouts?.difference]) {
            expect(stamp?.[0]).toBe(0x1f);
            const fits = Buffer.from(gunzipSync(stamp as Uint8Array));
            expect(fits.toString('latin1', 0, 6)).toBe('SIMPLE');
            expect(fits.toString('latin1', 0, 2880)).toMatch(/NAXIS1\s*=\s*63\b/);
          }
          n++;
        }
      }
      expect(n).toBe(README_ROWS[name]);
    }
  });
});
