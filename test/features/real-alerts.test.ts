/**
 * Features of real Fink alerts (../shared/data/fink-ztf, read in place; skipped when absent), checked three ways:
 * hand-checked values for six alerts from six files; every parquet row against the same quantities computed
 * independently in SQL by DuckDB (list functions over prv_candidates); and the same through core/alerts' reader.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, LightCurvePoint } from '../../core/alerts/alert.js';
import { readAlerts } from '../../core/alerts/reader.js';
import { computeFeatures, FEATURE_INDEX } from '../../core/features/build.js';
import { loadDustMap } from '../../core/features/dust.js';
import { decodeCutout, zscale } from '../../core/features/fits.js';
import { LC_FEATURES } from '../../core/features/names.js';
import type { FeatureName } from '../../core/features/names.js';
import { makeAlert } from './helpers.js';

const DATA = fileURLToPath(new URL('../../../shared/data', import.meta.url));
const ALERTS = `${DATA}/fink-ztf`;
const exists = existsSync(ALERTS);
if (!exists) console.warn(`skipping real-alert feature tests: ${ALERTS} is absent`);

const PARQUET = exists ? readdirSync(ALERTS).filter((f) => f.endsWith('.parquet')).sort() : [];

interface Expected {
  candid: string;
  objectId: string;
  ra: number;
  dec: number;
  drb: number | null;
  isdiffpos: 't' | 'f' | null;
  magpsf: number | null;
  ndets: number;
  nnondets: number;
  median: number | null;
  std: number | null;
  history: LightCurvePoint[];
  lcG: Record<string, number | null> | null;
  lcR: Record<string, number | null> | null;
}

let con: DuckDBConnection;
let instance: DuckDBInstance;
const expected = new Map<string, Map<string, Expected>>();

async function columnsOf(file: string): Promise<{ top: Set<string>; candidate: Set<string> }> {
  const top = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).getRowObjectsJS();
  const cand = (await con.runAndReadAll(`DESCRIBE SELECT UNNEST(candidate) FROM read_parquet('${file}')`)).getRowObjectsJS();
  return {
    top: new Set(top.map((r) => String(r.column_name))),
    candidate: new Set(cand.map((r) => String(r.column_name))),
  };
}

/** ndets / nnondets / median / population std computed in SQL, independently of the TypeScript code. */
async function expectedFor(file: string): Promise<Map<string, Expected>> {
  const path = `${ALERTS}/${file}`;
  const cols = await columnsOf(path);
  const lc = (band: 'g' | 'r'): string =>
    cols.top.has(`lc_features_${band}`)
      ? LC_FEATURES.map((f) => `lc_features_${band}.${f}::DOUBLE AS "${f}_${band}"`).join(', ') +
        `, lc_features_${band} IS NULL AS "lcnull_${band}"`
      : `TRUE AS "lcnull_${band}"`;
  const drb = cols.candidate.has('drb') ? 'candidate.drb::DOUBLE' : 'NULL::DOUBLE';
  const sql = `
    WITH t AS (
      SELECT candid::VARCHAR AS candid, objectId::VARCHAR AS objectId,
        candidate.ra::DOUBLE AS ra, candidate."dec"::DOUBLE AS "dec", ${drb} AS drb,
        -- ZTF writes a positive difference as 't' or '1' (older alerts), a negative one as 'f' or '0'.
        CASE candidate.isdiffpos::VARCHAR WHEN '1' THEN 't' WHEN '0' THEN 'f' ELSE candidate.isdiffpos::VARCHAR END AS isdiffpos, candidate.magpsf::DOUBLE AS magpsf,
        coalesce(prv_candidates, []) AS prv, ${lc('g')}, ${lc('r')}
      FROM read_parquet('${path}'))
    SELECT *,
      (isdiffpos = 't')::INTEGER + len(list_filter(prv, x -> x.isdiffpos IN ('t', '1')))::INTEGER AS ndets,
      len(list_filter(prv, x -> x.magpsf IS NULL))::INTEGER AS nnondets,
      list_median(mags) AS med, list_stddev_pop(mags) AS std,
      to_json(list_transform(prv, x -> {'jd': x.jd::DOUBLE, 'fid': x.fid::INTEGER, 'magpsf': x.magpsf::DOUBLE,
        'sigmapsf': x.sigmapsf::DOUBLE, 'diffmaglim': x.diffmaglim::DOUBLE,
        'isdiffpos': CASE x.isdiffpos::VARCHAR WHEN '1' THEN 't' WHEN '0' THEN 'f' ELSE x.isdiffpos::VARCHAR END}))::VARCHAR AS hist
    FROM (SELECT *, list_concat(
        CASE WHEN isdiffpos = 't' AND magpsf IS NOT NULL THEN [magpsf] ELSE []::DOUBLE[] END,
        list_transform(list_filter(prv, x -> x.isdiffpos IN ('t', '1') AND x.magpsf IS NOT NULL), x -> x.magpsf::DOUBLE)) AS mags
      FROM t)`;
  const rows = (await con.runAndReadAll(sql)).getRowObjectsJS();
  const out = new Map<string, Expected>();
  const lcRecord = (r: Record<string, unknown>, band: 'g' | 'r'): Record<string, number | null> | null =>
    r[`lcnull_${band}`] ? null : Object.fromEntries(LC_FEATURES.map((f) => [f, (r[`${f}_${band}`] as number | null) ?? null]));
  for (const r of rows) {
    out.set(String(r.candid), {
      candid: String(r.candid),
      objectId: String(r.objectId),
      ra: r.ra as number,
      dec: r.dec as number,
      drb: (r.drb as number | null) ?? null,
      isdiffpos: (r.isdiffpos as 't' | 'f' | null) ?? null,
      magpsf: (r.magpsf as number | null) ?? null,
      ndets: Number(r.ndets),
      nnondets: Number(r.nnondets),
      median: (r.med as number | null) ?? null,
      std: (r.std as number | null) ?? null,
      history: JSON.parse(String(r.hist)) as LightCurvePoint[],
      lcG: lcRecord(r, 'g'),
      lcR: lcRecord(r, 'r'),
    });
  }
  return out;
}

function alertFrom(e: Expected): Alert {
  return makeAlert({
    candid: e.candid,
    objectId: e.objectId,
    ra: e.ra,
    dec: e.dec,
    drb: e.drb,
    isdiffpos: e.isdiffpos,
    magpsf: e.magpsf,
    history: e.history,
    lcFeaturesG: e.lcG,
    lcFeaturesR: e.lcR,
  });
}

const f = (v: Float64Array, name: FeatureName): number => v[FEATURE_INDEX[name]];
const orNaN = (x: number | null | undefined): number => (x === null || x === undefined ? NaN : x);

function expectSame(actual: number, want: number, what: string, digits = 9): void {
  if (Number.isNaN(want)) expect(actual, what).toBeNaN();
  else expect(actual, what).toBeCloseTo(want, digits);
}

function checkAgainstSql(v: Float64Array, e: Expected, where: string): void {
  expect(f(v, 'ndets'), `${where} ndets`).toBe(e.ndets);
  expect(f(v, 'nnondets'), `${where} nnondets`).toBe(e.nnondets);
  expectSame(f(v, 'dets_median'), orNaN(e.median), `${where} dets_median`);
  expectSame(f(v, 'dets_std'), orNaN(e.std), `${where} dets_std`);
  expectSame(f(v, 'ra'), e.ra, `${where} ra`, 12);
  expectSame(f(v, 'dec'), e.dec, `${where} dec`, 12);
  expectSame(f(v, 'drb'), orNaN(e.drb), `${where} drb`, 12);
  for (const band of ['g', 'r'] as const) {
    const lc = band === 'g' ? e.lcG : e.lcR;
    for (const name of LC_FEATURES) {
      expectSame(f(v, `${name}_${band}` as FeatureName), orNaN(lc?.[name]), `${where} ${name}_${band}`, 12);
    }
  }
}

describe.skipIf(!exists)('features of real Fink alerts', () => {
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    con = await instance.connect();
    for (const file of PARQUET) expected.set(file, await expectedFor(file));
  });
  afterAll(() => {
    con?.closeSync();
    instance?.closeSync();
  });

  /** Population std written out for the hand checks. */
  const popStd = (xs: number[]): number => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
  };

  // Six alerts from six files; `dets` are the positive-detection magnitudes read off the file (current first).
  const HAND: {
    file: string;
    candid: string;
    dets: number[];
    ndets: number;
    nnondets: number;
    median: number;
    ra: number;
    dec: number;
    drb: number;
    ebv: number; // healpy.get_interp_val on the SFD HEALPix map at astropy's (l, b)
  }[] = [
    {
      // Current candidate is a negative detection (17.389, 'f'): not counted. 6 upper limits, 6 other 'f' in history.
      file: 'ztf_20211122_xmatch_sample_a.parquet',
      candid: '1786118002615010016',
      dets: [16.159400939941406, 17.267200469970703],
      ndets: 2,
      nnondets: 6,
      median: (16.159400939941406 + 17.267200469970703) / 2, // 16.7133…
      ra: 299.3682647,
      dec: 53.5342779,
      drb: 0.9987128376960754,
      ebv: 0.21841208590467892,
    },
    {
      file: 'few_SLSN_alerts.parquet',
      candid: '3165333643415015013',
      dets: [18.69395637512207, 20.688400268554688, 19.122400283813477, 19.374000549316406],
      ndets: 4,
      nnondets: 17,
      median: (19.122400283813477 + 19.374000549316406) / 2,
      ra: 350.1272248,
      dec: 12.2417354,
      drb: 0.9999997615814209,
      ebv: 0.05437126468858032,
    },
    {
      // The last history entry is written isdiffpos '1' (older ZTF spelling of 't'): it counts.
      file: 'hostless_detection_202404.parquet',
      candid: '2656445990915015029',
      dets: [20.65578842163086, 20.064300537109375, 20.39389991760254, 20.5580997467041, 20.665700912475586, 20.64780044555664],
      ndets: 6,
      nnondets: 6,
      median: (20.5580997467041 + 20.64780044555664) / 2,
      ra: 231.6950092,
      dec: 1.819819,
      drb: 0.9999759197235107,
      ebv: 0.05219179623269268,
    },
    {
      // 39 history entries: 33 upper limits, 4 't' and 2 '1'.
      file: 'ztf_20250614_regular.parquet',
      candid: '3086355716215015006',
      dets: [
        19.03126335144043, 18.19770050048828, 18.73240089416504, 18.800800323486328, 18.686800003051758,
        19.172300338745117, 19.142499923706055,
      ],
      ndets: 7,
      nnondets: 33,
      median: 18.800800323486328,
      ra: 281.3984446,
      dec: 14.2232522,
      drb: 0.9999998211860657,
      ebv: 0.4424225095531941,
    },
    {
      // Raw ZTF file (no Fink columns); current candidate 'f'; 4 negative detections in history.
      file: 'ztf_20190903_raw_alerts.parquet',
      candid: '975188145315010269',
      dets: [14.503299713134766, 17.866899490356445],
      ndets: 2,
      nnondets: 17,
      median: (14.503299713134766 + 17.866899490356445) / 2,
      ra: 287.8903614,
      dec: -6.3037263,
      drb: 0.4453493654727936,
      ebv: 0.53020421519477,
    },
    {
      file: 'ztf_20220804_alert_samples.parquet',
      candid: '2041306211915015011',
      dets: [18.985992431640625, 18.507600784301758, 18.85919952392578, 18.724599838256836, 19.16189956665039],
      ndets: 5,
      nnondets: 6,
      median: 18.85919952392578,
      ra: 300.9883906,
      dec: -18.224563,
      drb: 0.9999994039535522,
      ebv: 0.15232695207668426,
    },
  ];

  it('hand-checked values for six alerts from six files', () => {
    const dustDir = `${DATA}/dust`;
    const dust = existsSync(dustDir) ? loadDustMap(dustDir) : null;
    for (const h of HAND) {
      const e = expected.get(h.file)?.get(h.candid);
      expect(e, `${h.file} ${h.candid}`).toBeDefined();
      const v = computeFeatures(alertFrom(e!), dust);
      const where = `${h.file} ${h.candid}`;
      expect(f(v, 'ndets'), where).toBe(h.ndets);
      expect(f(v, 'nnondets'), where).toBe(h.nnondets);
      expect(f(v, 'dets_median'), where).toBeCloseTo(h.median, 12);
      expect(f(v, 'dets_std'), where).toBeCloseTo(popStd(h.dets), 12);
      expect(f(v, 'ra')).toBe(h.ra);
      expect(f(v, 'dec')).toBe(h.dec);
      expect(f(v, 'drb')).toBe(h.drb);
      if (dust) expect(f(v, 'ebv'), `${where} ebv`).toBeCloseTo(h.ebv, 7);
    }
    // Spelled out for the first: two detections 16.1594 and 17.2672 → median 16.7133, std = half the gap 0.5539.
    const first = computeFeatures(alertFrom(expected.get(HAND[0].file)!.get(HAND[0].candid)!), null);
    expect(f(first, 'dets_median')).toBeCloseTo(16.7133007, 6);
    expect(f(first, 'dets_std')).toBeCloseTo(0.5538998, 6);
  });

  it('every parquet row: features equal the SQL computation', () => {
    let rows = 0;
    let withLc = 0;
    for (const [file, byCandid] of expected) {
      for (const e of byCandid.values()) {
        checkAgainstSql(computeFeatures(alertFrom(e), null), e, `${file} ${e.candid}`);
        rows++;
        if (e.lcR && e.lcR.amplitude !== null) withLc++;
      }
    }
    expect(PARQUET.length).toBe(14);
    expect(rows).toBeGreaterThanOrEqual(366);
    expect(withLc).toBeGreaterThan(50);
  });

  it('through core/alerts readAlerts: the same values for every parquet row', async () => {
    let n = 0;
    for (const file of PARQUET) {
      const want = expected.get(file)!;
      for await (const batch of readAlerts(`${ALERTS}/${file}`)) {
        for (const a of batch) {
          const e = want.get(a.candid);
          expect(e, `${file}: candid ${a.candid} not in SQL`).toBeDefined();
          checkAgainstSql(computeFeatures(a, null), e!, `reader ${file} ${a.candid}`);
          n++;
        }
      }
    }
    expect(n).toBe(423);
  });

  it('r-band light-curve features hold r, not a copy of g (the seed’s bug)', () => {
    let differ = 0;
    for (const byCandid of expected.values()) {
      for (const e of byCandid.values()) {
        if (!e.lcG || !e.lcR || e.lcG.amplitude === null || e.lcR.amplitude === null) continue;
        const v = computeFeatures(alertFrom(e), null);
        expect(f(v, 'amplitude_r')).toBe(e.lcR.amplitude);
        if (f(v, 'amplitude_g') !== f(v, 'amplitude_r')) differ++;
      }
    }
    expect(differ).toBeGreaterThan(20);
  });

  it('real cutouts decode to 63×63 float32 images with sensible zscale limits', async () => {
    let decoded = 0;
    for await (const batch of readAlerts(`${ALERTS}/ztf_20220804_alert_samples.parquet`, { withCutouts: true, batchSize: 5 })) {
      for (const a of batch.slice(0, 3)) {
        for (const stamp of [a.cutouts?.science, a.cutouts?.template, a.cutouts?.difference]) {
          expect(stamp).toBeInstanceOf(Uint8Array);
          const img = decodeCutout(stamp!);
          expect([img.width, img.height]).toEqual([63, 63]);
          expect(img.pixels).toBeInstanceOf(Float32Array);
          const { z1, z2 } = zscale(img.pixels);
          expect(Number.isFinite(z1) && Number.isFinite(z2)).toBe(true);
          expect(z2).toBeGreaterThan(z1);
          decoded++;
        }
      }
      break;
    }
    expect(decoded).toBe(9);
  });
});
