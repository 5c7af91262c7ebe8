/** The extended feature set: definitions checked on hand-computed light curves, and its rows in a store. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { columnsFromAlerts } from '../../core/alerts/columns.js';
import type { LightCurvePoint } from '../../core/alerts/alert.js';
import { computeFeatures } from '../../core/features/build.js';
import { colourGR, extendedVector, riseFade, ztfValue } from '../../core/features/extended.js';
import { EXTENDED_FEATURE_NAMES, FEATURE_NAMES, parseFeatureSet } from '../../core/features/names.js';
import { encodeLc, packAlert } from '../../core/features/packed-lc.js';
import { mergeStaging } from '../../core/ingest/merge.js';
import { StagingWriter } from '../../core/ingest/staging.js';
import { openStore } from '../../core/store/database.js';
import { loadFeatureMatrix } from '../../core/store/features.js';
import { makeAlert } from '../helpers/alerts.js';

const det = (jd: number, fid: number, mag: number, dp: 't' | 'f' = 't'): LightCurvePoint => ({
  jd,
  fid,
  magpsf: mag,
  sigmapsf: 0.1,
  diffmaglim: 20.5,
  isdiffpos: dp,
});
const limit = (jd: number, fid: number): LightCurvePoint => ({ jd, fid, magpsf: null, sigmapsf: null, diffmaglim: 19, isdiffpos: null });

describe('extended feature definitions', () => {
  it('rise and fade rates: first → brightest and brightest → last, in mag/day', () => {
    // 19 → 17 over 3 days, then 17 → 18 over 2 days.
    const r = riseFade([
      [0, 19],
      [1, 18],
      [3, 17],
      [5, 18],
    ]);
    expect(r.rise).toBeCloseTo(2 / 3, 12);
    expect(r.fade).toBeCloseTo(0.5, 12);
    // Peak first: no rise; one night only (0.1 d): no rate at all.
    expect(riseFade([[0, 17], [2, 18]]).rise).toBeNaN();
    expect(riseFade([[0, 17], [2, 18]]).fade).toBeCloseTo(0.5, 12);
    expect(riseFade([[0, 18], [0.1, 17]]).rise).toBeNaN();
    expect(riseFade([[0, 18]]).fade).toBeNaN();
  });

  it('g − r from the latest detection of each band, only when they are within a day', () => {
    expect(colourGR([[5, 19], [10, 18.2]], [[10.3, 18.0]])).toBeCloseTo(0.2, 12);
    expect(colourGR([[10, 18.2]], [[12, 18.0]])).toBeNaN();
    expect(colourGR([], [[12, 18.0]])).toBeNaN();
  });

  it("ZTF's -999 sentinel is missing", () => {
    expect(ztfValue(-999)).toBeNaN();
    expect(ztfValue(null)).toBeNaN();
    expect(ztfValue(0.25)).toBe(0.25);
    expect(ztfValue(0)).toBe(0);
  });

  it('one alert: seed features first, then the extras; negative detections and upper limits are ignored', () => {
    // Sgr A* (ICRS 266.41683, -29.00781) is at Galactic b = -0.0462 (astropy).
    const a = makeAlert({
      ra: 266.41683,
      dec: -29.00781,
      jd: 2459010.5,
      fid: 1,
      magpsf: 18.0,
      sgscore1: 0.9,
      distpsnr1: -999,
      distnr: 0.4,
      magnr: 15.5,
      neargaia: -999,
      maggaia: -999,
      history: [det(2459004.5, 1, 19.0), det(2459006.5, 1, 17.5), det(2459007.5, 1, 16.0, 'f'), limit(2459008.5, 1), det(2459010.4, 2, 17.6)],
    });
    const seed = computeFeatures(a, null);
    const v = extendedVector(seed, { ...a, distnr: a.distnr!, magnr: a.magnr!, neargaia: a.neargaia!, maggaia: a.maggaia! }, packAlert(a));
    expect(v.length).toBe(EXTENDED_FEATURE_NAMES.length);
    expect([...v.subarray(0, FEATURE_NAMES.length)]).toEqual([...seed]);
    const at = (n: string) => v[EXTENDED_FEATURE_NAMES.indexOf(n as (typeof EXTENDED_FEATURE_NAMES)[number])];
    expect(at('gal_b')).toBeCloseTo(-0.0462, 3);
    expect(at('sgscore1')).toBeCloseTo(0.9, 6);
    expect(at('distpsnr1')).toBeNaN();
    expect(at('distnr')).toBeCloseTo(0.4, 6);
    expect(at('magnr')).toBeCloseTo(15.5, 6);
    expect(at('neargaia')).toBeNaN();
    // g: 19.0 (d 4.5) → 17.5 (d 6.5, peak) → 18.0 (d 10.5): rise 1.5/2, fade 0.5/4; the 'f' point is not a detection.
    expect(at('rise_rate_g')).toBeCloseTo(0.75, 9);
    expect(at('fade_rate_g')).toBeCloseTo(0.125, 9);
    expect(at('rise_rate_r')).toBeNaN();
    // latest g 18.0 at d 10.5, latest r 17.6 at d 10.4.
    expect(at('g_minus_r')).toBeCloseTo(0.4, 6);
  });

  it('--features / --set values are checked, naming the option', () => {
    expect(parseFeatureSet('extended', '--features')).toBe('extended');
    expect(() => parseFeatureSet('all', '--features')).toThrow(/--features must be one of seed, extended, lsst \(got 'all'\)/);
  });
});

describe('extended rows in a store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vra-ext-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are computed from the stored alerts on first use, and for alerts ingested later', async () => {
    const db = openStore(join(dir, 's.sqlite'));
    const a = makeAlert({ candid: '1000000000000000001', objectId: 'ZTF21aaaaaaa', distnr: 1.5, magnr: 17.25, neargaia: 3.5, maggaia: 16.5 });
    const b = makeAlert({ candid: '1000000000000000002', objectId: 'ZTF21aaaaaab', sgscore1: -999 });
    const stage = async (name: string, alerts: ReturnType<typeof makeAlert>[]) => {
      const w = new StagingWriter(join(dir, name));
      const X = new Float64Array(alerts.length * FEATURE_NAMES.length);
      alerts.forEach((al, i) => X.set(computeFeatures(al, null), i * FEATURE_NAMES.length));
      w.writeBatch(columnsFromAlerts(alerts), X, FEATURE_NAMES.length, alerts.map(() => 2), alerts.map((al) => encodeLc(packAlert(al))));
      w.close();
      await mergeStaging(db, w.path, { path: `/x/${name}.parquet`, sha256: name, sizeBytes: 1 }, w.rows);
    };
    await stage('f1', [a]);
    const m1 = loadFeatureMatrix(db, { featureSet: 'extended' });
    expect(m1.names).toEqual([...EXTENDED_FEATURE_NAMES]);
    expect(m1.n).toBe(1);
    const col = (m: typeof m1, row: number, n: string) => m.X[row * m.d + m.names.indexOf(n)];
    // The candidate fields went through ingest into the store (migration 007's columns).
    expect(col(m1, 0, 'distnr')).toBe(1.5);
    expect(col(m1, 0, 'magnr')).toBe(17.25);
    expect(col(m1, 0, 'neargaia')).toBe(3.5);
    expect(col(m1, 0, 'maggaia')).toBe(16.5);
    await stage('f2', [b]);
    const m2 = loadFeatureMatrix(db, { featureSet: 'extended', candids: [b.candid, a.candid] });
    expect(m2.candids).toEqual([b.candid, a.candid]);
    expect(col(m2, 0, 'sgscore1')).toBeNaN();
    expect(col(m2, 1, 'sgscore1')).toBeCloseTo(0.1, 6);
    // The seed set is unchanged by it.
    const seed = loadFeatureMatrix(db, {});
    expect(seed.names).toEqual([...FEATURE_NAMES]);
    expect([...seed.X.subarray(0, seed.d)]).toEqual([...m2.X.subarray(m2.d, m2.d + seed.d)]);
    db.close();
  });
});

describe('a store made before migration 007', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vra-ext-old-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('opens, keeps its alerts, and gets extended rows with the new candidate fields missing', async () => {
    const { MIGRATIONS } = await import('../../core/store/migrations/index.js');
    const file = join(dir, 'old.sqlite');
    const old = openStore(file, MIGRATIONS.filter((m) => m.version <= 6));
    const a = makeAlert({ candid: '1000000000000000009' });
    // An alert as the version-6 schema stored it (no distnr/magnr/neargaia/maggaia columns).
    const w = new StagingWriter(join(dir, 'st.sqlite'));
    w.writeBatch(columnsFromAlerts([a]), computeFeatures(a, null), FEATURE_NAMES.length, [2], [encodeLc(packAlert(a))]);
    w.close();
    old.exec(`ATTACH DATABASE '${w.path}' AS st`);
    old.exec(`INSERT INTO source_files (id, path, sha256, size_bytes, ingested_at) VALUES (1, 'x', 'x', 1, 'now')`);
    old.exec(`INSERT INTO feature_sets VALUES ('fs1', '${JSON.stringify(FEATURE_NAMES)}', 'now')`);
    old.exec(`INSERT INTO alerts (candid, object_id, jd, night, fid, ra, dec, sgscore1, source_file_id)
              SELECT candid, object_id, jd, night, fid, ra, dec, sgscore1, 1 FROM st.staged`);
    old.exec(`INSERT INTO alert_lc SELECT candid, lc FROM st.staged`);
    old.exec(`INSERT INTO features SELECT candid, 'fs1', ndets, vector FROM st.staged`);
    old.exec('DETACH DATABASE st');
    old.close();
    const db = openStore(file);
    const m = loadFeatureMatrix(db, { featureSet: 'extended' });
    expect(m.candids).toEqual([a.candid]);
    expect(m.X[m.names.indexOf('distnr')]).toBeNaN();
    expect(m.X[m.names.indexOf('sgscore1')]).toBeCloseTo(0.1, 6);
    db.close();
  });
});
