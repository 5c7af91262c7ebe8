import { describe, expect, it } from 'vitest';
import { computeFeatures, FEATURE_INDEX, featureMatrix, N_FEATURES } from '../../core/features/build.js';
import type { DustMap } from '../../core/features/dust.js';
import { lightCurveStats } from '../../core/features/lightcurve.js';
import { FEATURE_NAMES, LC_FEATURES, SEED_COLUMN_NAMES } from '../../core/features/names.js';
import { det, makeAlert, upper } from './helpers.js';

const at = (v: Float64Array, name: (typeof FEATURE_NAMES)[number]): number => v[FEATURE_INDEX[name]];

/** A fake dust map: ebv = ra/1000 + dec/100000, so each row's value proves which position was asked. */
const fakeDust: DustMap = { kind: 'healpix', source: 'fake', ebv: (ra, dec) => ra / 1000 + dec / 100000 };

describe('light-curve stats', () => {
  it('counts positive detections, upper limits, and ignores negative detections', () => {
    // current 't' 18.0 (g); history: 't' 18.4 (r), 't' 19.0 (g), 'f' 17.0 (g), two upper limits.
    const a = makeAlert({
      magpsf: 18.0,
      isdiffpos: 't',
      history: [det(1, 2, 18.4), upper(2, 1), det(3, 1, 19.0), det(4, 1, 17.0, 'f'), upper(5, 2)],
    });
    const s = lightCurveStats(a);
    expect(s.ndets).toBe(3);
    expect(s.nnondets).toBe(2);
    // median of {18.0, 18.4, 19.0} = 18.4; population std: mean 18.4667, devs -0.4667, -0.0667, 0.5333
    expect(s.median).toBeCloseTo(18.4, 12);
    const mean = (18.0 + 18.4 + 19.0) / 3;
    const std = Math.sqrt(((18.0 - mean) ** 2 + (18.4 - mean) ** 2 + (19.0 - mean) ** 2) / 3);
    expect(s.std).toBeCloseTo(std, 12);
    expect(s.std).toBeCloseTo(0.41096093353126, 10);
  });

  it('even number of detections: median is the mean of the middle two', () => {
    const a = makeAlert({ magpsf: 20, history: [det(1, 1, 17), det(2, 2, 19), det(3, 1, 18)] });
    const s = lightCurveStats(a);
    expect(s.ndets).toBe(4);
    expect(s.median).toBe(18.5);
    expect(s.std).toBeCloseTo(Math.sqrt(1.25), 12);
  });

  it('one detection: std 0; no positive detection: median and std missing', () => {
    expect(lightCurveStats(makeAlert({ history: [upper(1, 1)] }))).toEqual({ ndets: 1, nnondets: 1, median: 18.5, std: 0 });
    const none = lightCurveStats(makeAlert({ isdiffpos: 'f', history: [upper(1, 1), det(2, 1, 18, 'f')] }));
    expect(none.ndets).toBe(0);
    expect(none.nnondets).toBe(1);
    expect(none.median).toBeNaN();
    expect(none.std).toBeNaN();
  });

  it('a current candidate with isdiffpos f is not a detection', () => {
    const s = lightCurveStats(makeAlert({ isdiffpos: 'f', magpsf: 16, history: [det(1, 1, 19)] }));
    expect(s.ndets).toBe(1);
    expect(s.median).toBe(19);
  });

  it('long light curves (typed-array sort path) give the same median', () => {
    const mags = Array.from({ length: 301 }, (_, i) => 15 + ((i * 37) % 301) / 100);
    const a = makeAlert({ magpsf: mags[0], history: mags.slice(1).map((m, i) => det(i, 1 + (i % 2), m)) });
    const s = lightCurveStats(a);
    const sorted = [...mags].sort((x, y) => x - y);
    expect(s.ndets).toBe(301);
    expect(s.median).toBe(sorted[150]);
    const mean = mags.reduce((x, y) => x + y, 0) / mags.length;
    expect(s.std).toBeCloseTo(Math.sqrt(mags.reduce((x, y) => x + (y - mean) ** 2, 0) / mags.length), 10);
  });
});

describe('computeFeatures', () => {
  const lcG = Object.fromEntries(LC_FEATURES.map((f, i) => [f, i + 1])) as Record<string, number | null>;
  const lcR = Object.fromEntries(LC_FEATURES.map((f, i) => [f, 10 * (i + 1)])) as Record<string, number | null>;
  lcR.linear_fit_slope = null;

  it('fills every column in FEATURE_NAMES order', () => {
    const a = makeAlert({
      ra: 10.5,
      dec: -20.25,
      drb: 0.97,
      magpsf: 18,
      history: [det(1, 2, 19), upper(2, 1)],
      lcFeaturesG: { ...lcG, kurtosis: 99 },
      lcFeaturesR: lcR,
      sherlockSepArcsec: 1.75,
    });
    const v = computeFeatures(a, fakeDust);
    expect(v.length).toBe(FEATURE_NAMES.length);
    expect(N_FEATURES).toBe(21);
    expect(at(v, 'ra')).toBe(10.5);
    expect(at(v, 'dec')).toBe(-20.25);
    expect(at(v, 'drb')).toBe(0.97);
    expect(at(v, 'ndets')).toBe(2);
    expect(at(v, 'nnondets')).toBe(1);
    expect(at(v, 'dets_median')).toBe(18.5);
    expect(at(v, 'dets_std')).toBe(0.5);
    expect(at(v, 'sep_arcsec')).toBe(1.75);
    LC_FEATURES.forEach((f, i) => {
      expect(v[FEATURE_INDEX[`${f}_g` as (typeof FEATURE_NAMES)[number]]]).toBe(i + 1);
    });
    // r holds r (the seed duplicated g), and a null value is missing.
    expect(at(v, 'amplitude_r')).toBe(10);
    expect(at(v, 'median_absolute_deviation_r')).toBe(60);
    expect(at(v, 'linear_fit_slope_r')).toBeNaN();
    expect(at(v, 'ebv')).toBeCloseTo(10.5 / 1000 - 20.25 / 100000, 15);
  });

  it('missing values are NaN: no drb, no lc features, no sherlock, no dust', () => {
    const v = computeFeatures(makeAlert({ drb: null }), null);
    expect(at(v, 'drb')).toBeNaN();
    expect(at(v, 'sep_arcsec')).toBeNaN();
    expect(at(v, 'amplitude_g')).toBeNaN();
    expect(at(v, 'median_r')).toBeNaN();
    expect(at(v, 'ebv')).toBeNaN();
    expect(at(v, 'ndets')).toBe(1);
  });

  it('sep_arcsec: the file value wins, else the cache value passed in', () => {
    const withFile = makeAlert({ sherlockSepArcsec: 0.5 });
    const without = makeAlert({ objectId: 'ZTF99' });
    expect(at(computeFeatures(withFile, null, 3.25), 'sep_arcsec')).toBe(0.5);
    expect(at(computeFeatures(without, null, 3.25), 'sep_arcsec')).toBe(3.25);
    expect(at(computeFeatures(without, null, new Map([['ZTF99', 2.5]])), 'sep_arcsec')).toBe(2.5);
    expect(at(computeFeatures(without, null, (id) => (id === 'ZTF99' ? 4 : null)), 'sep_arcsec')).toBe(4);
    expect(at(computeFeatures(without, null, new Map([['ZTF99', null]])), 'sep_arcsec')).toBeNaN();
  });

  it('seed column names map our band-suffixed names', () => {
    expect(SEED_COLUMN_NAMES.amplitude_g).toBe('amplitude');
    expect(SEED_COLUMN_NAMES.amplitude_r).toBe('amplituder_');
  });
});

describe('featureMatrix', () => {
  it('stacks rows exactly as computeFeatures, with one allocation', () => {
    const alerts = [
      makeAlert({ ra: 1, dec: 2, history: [det(1, 1, 17)] }),
      makeAlert({ ra: 3, dec: 4, isdiffpos: 'f', objectId: 'B' }),
      makeAlert({ ra: 5, dec: 6, magpsf: 20, history: [upper(1, 2), upper(2, 2)] }),
    ];
    const sep = new Map([['B', 7]]);
    const m = featureMatrix(alerts, fakeDust, sep);
    expect(m.n).toBe(3);
    expect(m.d).toBe(21);
    expect(m.names).toEqual(FEATURE_NAMES);
    expect(m.X.length).toBe(63);
    alerts.forEach((a, i) => {
      expect(Array.from(m.X.subarray(i * 21, (i + 1) * 21))).toEqual(Array.from(computeFeatures(a, fakeDust, sep)));
    });
    expect(m.X[1 * 21 + FEATURE_INDEX.sep_arcsec]).toBe(7);
    expect(m.X[2 * 21 + FEATURE_INDEX.nnondets]).toBe(2);
  });

  it('is fast enough for a 100k-alert night', () => {
    const hist = Array.from({ length: 30 }, (_, i) => (i % 3 ? det(i, 1 + (i % 2), 18 + (i % 7) / 10) : upper(i, 1)));
    const alerts = Array.from({ length: 20000 }, (_, i) => makeAlert({ ra: i % 360, dec: (i % 170) - 85, history: hist }));
    featureMatrix(alerts.slice(0, 2000), fakeDust); // warm up the JIT
    const t0 = performance.now();
    const m = featureMatrix(alerts, fakeDust);
    const ms = performance.now() - t0;
    expect(m.X[FEATURE_INDEX.ndets]).toBe(21);
    // ~3 µs per alert on this machine (0.3 s for 100k); a generous bound so a busy 2-core CI does not flake.
    expect(ms).toBeLessThan(2000);
  });
});
