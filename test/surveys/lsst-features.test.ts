/**
 * The LSST feature set on a hand-made alert (values computed by hand below), the flux → magnitude helpers, and one
 * real alert against DuckDB's own median / population std over the same fluxes.
 */
import { existsSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import type { LsstBatch } from '../../core/surveys/lsst/batch.js';
import { lsstBatchFromRecords } from '../../core/surveys/lsst/avro.js';
import { LSST_FEATURE_NAMES, lsstFeatureMatrix, lsstFeaturesOf, lsstLightCurve } from '../../core/surveys/lsst/features.js';
import { fluxErrToMagErr, fluxToMag } from '../../core/surveys/lsst/photometry.js';
import { readLsstAlerts } from '../../core/surveys/lsst/read.js';
import { SHARED_DATA } from '../helpers/shared-data.js';

const prv = (id: bigint, mjd: number, band: string, flux: number) => ({
  diaSourceId: id,
  midpointMjdTai: mjd,
  band,
  psfFlux: flux,
  psfFluxErr: 50,
});
const forced = (id: bigint, mjd: number, band: string, flux: number) => ({
  diaForcedSourceId: id,
  midpointMjdTai: mjd,
  band,
  psfFlux: flux,
  psfFluxErr: 20,
});

/** One alert at the Galactic centre (ICRS 266.4049882, −28.9361748: l = 0, b = 0). */
function handMadeBatch(): LsstBatch {
  const alert = {
    diaSourceId: 100n,
    diaSource: {
      diaSourceId: 100n,
      diaObjectId: 7n,
      ssObjectId: 0n,
      midpointMjdTai: 61041.5,
      ra: 266.4049882,
      dec: -28.9361748,
      band: 'g',
      psfFlux: -250,
      psfFluxErr: 50,
      reliability: 0.75,
      extendedness: 0.25,
      snr: 12.5,
    },
    prvDiaSources: [
      prv(90n, 61030, 'g', 1000),
      prv(91n, 61031, 'g', 2000),
      prv(92n, 61032, 'r', 500),
      // The alert's own source repeated: must be counted once.
      prv(100n, 61041.5, 'g', -250),
    ],
    prvDiaForcedSources: [forced(1n, 61020, 'u', 30), forced(2n, 61021, 'u', 40), forced(3n, 61022, 'g', 50)],
    diaObject: { diaObjectId: 7n, g_psfFluxMean: 916.5 },
  };
  return lsstBatchFromRecords([alert], { file: 'hand-made', firstRow: 0, version: '10.0' }, false);
}

function byName(values: Float64Array): Record<string, number> {
  return Object.fromEntries(LSST_FEATURE_NAMES.map((n, i) => [n, values[i]]));
}

describe('LSST features on a hand-made alert', () => {
  const f = byName(lsstFeaturesOf(handMadeBatch(), 0));

  it('counts detections and forced photometry per band, the repeated source once', () => {
    expect([f.ndet_u, f.ndet_g, f.ndet_r, f.ndet_i, f.ndet_z, f.ndet_y]).toEqual([0, 3, 1, 0, 0, 0]);
    expect([f.nforced_u, f.nforced_g, f.nforced_r, f.nforced_i, f.nforced_z, f.nforced_y]).toEqual([2, 1, 0, 0, 0, 0]);
    expect(f.ndet).toBe(4);
    expect(f.nforced).toBe(3);
  });

  it('takes median and population std of psfFlux per band, negative flux included; NaN for empty bands', () => {
    // g: −250, 1000, 2000 → median 1000; mean 2750/3, deviations ×3 = −3500, 250, 3250 → Σd² = 22,875,000 / 9.
    expect(f.flux_median_g).toBe(1000);
    expect(f.flux_std_g).toBeCloseTo(Math.sqrt(22_875_000 / 27), 9);
    expect(f.flux_std_g).toBeCloseTo(920.4467, 3);
    expect(f.flux_median_r).toBe(500);
    expect(f.flux_std_r).toBe(0);
    for (const b of ['u', 'i', 'z', 'y']) {
      expect(f[`flux_median_${b}`], b).toBeNaN();
      expect(f[`flux_std_${b}`], b).toBeNaN();
    }
  });

  it('copies the diaObject band means, the source quality columns and the Galactic latitude', () => {
    expect(f.obj_flux_mean_g).toBe(916.5);
    expect(f.obj_flux_mean_r).toBeNaN();
    expect([f.reliability, f.extendedness, f.snr]).toEqual([0.75, 0.25, 12.5]);
    expect(Math.abs(f.gal_b)).toBeLessThan(1e-4);
  });

  it('fills the matrix row-major, one row per alert', () => {
    const m = lsstFeatureMatrix(handMadeBatch());
    expect(m.length).toBe(LSST_FEATURE_NAMES.length);
    expect(m[LSST_FEATURE_NAMES.indexOf('ndet_g')]).toBe(3);
  });
});

describe('LSST photometry helpers', () => {
  it('AB magnitude from nJy: 31.4 − 2.5 log10 f, none for f ≤ 0', () => {
    expect(fluxToMag(1000)).toBeCloseTo(23.9, 12);
    expect(fluxToMag(1e6)).toBeCloseTo(16.4, 12);
    // 3631 Jy is AB magnitude 0 (to the 4 digits of 31.4).
    expect(fluxToMag(3631e9)).toBeCloseTo(0, 3);
    expect(fluxToMag(0)).toBeNaN();
    expect(fluxToMag(-250)).toBeNaN();
    // 50 nJy error on 1000 nJy: 1.0857 × 0.05 mag.
    expect(fluxErrToMagErr(1000, 50)).toBeCloseTo(0.0542868, 6);
    expect(fluxErrToMagErr(-5, 50)).toBeNaN();
  });

  it('builds the light curve oldest first, forced points flagged, magnitudes only for positive flux', () => {
    const lc = lsstLightCurve(handMadeBatch(), 0);
    expect(lc.map((p) => [p.mjd, p.band, p.forced])).toEqual([
      [61020, 'u', true],
      [61021, 'u', true],
      [61022, 'g', true],
      [61030, 'g', false],
      [61031, 'g', false],
      [61032, 'r', false],
      [61041.5, 'g', false],
    ]);
    expect(lc[3].mag).toBeCloseTo(23.9, 12);
    expect(lc[6].mag).toBeNaN();
  });
});

const REAL = `${SHARED_DATA}/fink-lsst/lsstcam_ddf_20260105_v10_0.parquet`;
if (!existsSync(REAL)) console.warn(`[lsst-features] real-alert check skipped: ${REAL} is absent`);

describe.skipIf(!existsSync(REAL))('LSST features on a real alert', () => {
  it('gives the hand-computed values on alert 169813006111211588 (two previous i-band sources)', async () => {
    for await (const batch of readLsstAlerts(REAL)) {
      const i = batch.diaSourceId.indexOf('169813006111211588');
      expect(i).toBeGreaterThanOrEqual(0);
      const f = byName(lsstFeaturesOf(batch, i));
      // i-band psfFlux: 1742.0401611328125 (the alert), 1103.2301025390625, 1196.4359130859375 (previous):
      // median = the middle one; mean 1347.2354, deviations 394.8048, −244.0053, −150.7995 → σ = √(238,149.9 / 3).
      expect(f.ndet_i).toBe(3);
      expect(f.flux_median_i).toBe(1196.4359130859375);
      expect(f.flux_std_i).toBeCloseTo(281.7504, 3);
      expect(f.nforced).toBe(0);
      expect([f.ndet_u, f.ndet_g, f.ndet_r, f.ndet_z, f.ndet_y]).toEqual([0, 0, 0, 0, 0]);
    }
  });

  it('matches DuckDB on the alert with most previous sources (i and r bands)', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const duck = await db.connect();
    try {
      // The i-band fluxes (the diaSource's and the previous i-band ones) and the r-band previous ones, apart.
      const q = `SELECT CAST(diaSourceId AS VARCHAR) id, len(prvDiaSources)::INT nprv,
          list_prepend(diaSource.psfFlux, list_transform(list_filter(prvDiaSources, x -> x.band = 'i'), x -> x.psfFlux)) fi,
          list_transform(list_filter(prvDiaSources, x -> x.band = 'r'), x -> x.psfFlux) fr
        FROM read_parquet('${REAL}') WHERE len(prvDiaSources) > 0 ORDER BY len(prvDiaSources) DESC LIMIT 1`;
      const sql = `SELECT id, nprv, len(fi)::INT ni, list_aggregate(fi, 'median') medi, list_aggregate(fi, 'stddev_pop') sdi,
          len(fr)::INT nr, list_aggregate(fr, 'median') medr, list_aggregate(fr, 'stddev_pop') sdr FROM (${q})`;
      type Row = { id: string; nprv: number; ni: number; medi: number; sdi: number; nr: number; medr: number; sdr: number };
      const [row] = (await duck.runAndReadAll(sql)).getRowObjects() as unknown as Row[];
      // This alert has both bands in its history (15 i + 7 r previous sources).
      expect([row.nprv, row.ni, row.nr]).toEqual([22, 16, 7]);
      let found = false;
      for await (const batch of readLsstAlerts(REAL)) {
        const i = batch.diaSourceId.indexOf(row.id);
        if (i < 0) continue;
        found = true;
        const f = byName(lsstFeaturesOf(batch, i));
        expect(batch.band[i]).toBe('i');
        expect(f.ndet_i).toBe(row.ni);
        expect(f.ndet_r).toBe(row.nr);
        expect(f.ndet).toBe(row.nprv + 1);
        expect(f.flux_median_i).toBeCloseTo(row.medi, 6);
        expect(f.flux_std_i).toBeCloseTo(row.sdi, 6);
        expect(f.flux_median_r).toBeCloseTo(row.medr, 6);
        expect(f.flux_std_r).toBeCloseTo(row.sdr, 6);
        expect(f.flux_median_g).toBeNaN();
        expect(f.obj_flux_mean_i).toBe(batch.diaObject.i_psfFluxMean[i]);
      }
      expect(found).toBe(true);
    } finally {
      duck.closeSync();
      db.closeSync();
    }
  });
});
