import { describe, expect, it } from 'vitest';
import { decodeLsstLc, encodeLsstLc, isLsstLc, type LsstStoredPoint } from '../../core/surveys/lsst/packed-lc.js';
import { encodeLc } from '../../core/features/packed-lc.js';
import { lsstNight, mjdToJd } from '../../core/surveys/lsst/night.js';

describe('LSST stored light curve', () => {
  const points: LsstStoredPoint[] = [
    { mjd: 61041.2213456789, band: 'i', flux: 1234.5, fluxErr: 56.25, kind: 'detection' },
    { mjd: 61040.1, band: 'u', flux: -88.5, fluxErr: 12, kind: 'forced' },
    { mjd: 61039.5, band: null, flux: NaN, fluxErr: 3.5, kind: 'limit' },
    { mjd: 61038.5, band: 'y', flux: 0.1, fluxErr: 0.2, kind: 'detection' },
  ];

  it('round-trips points (mjd exact, fluxes to float32)', () => {
    const blob = encodeLsstLc(points);
    expect(blob.length).toBe(8 + 18 * points.length);
    const back = decodeLsstLc(blob);
    expect(back.map((p) => [p.mjd, p.band, p.kind])).toEqual(points.map((p) => [p.mjd, p.band, p.kind]));
    back.forEach((p, k) => {
      expect(p.flux).toBe(Math.fround(points[k].flux));
      expect(p.fluxErr).toBe(Math.fround(points[k].fluxErr));
    });
  });

  it('decodes from an unaligned copy and tells itself apart from a ZTF curve', () => {
    const blob = encodeLsstLc(points);
    const shifted = new Uint8Array(blob.length + 1).subarray(1);
    shifted.set(blob);
    expect(decodeLsstLc(shifted)[0].mjd).toBe(points[0].mjd);
    const ztf = encodeLc(new Float64Array(6));
    expect(isLsstLc(ztf)).toBe(false);
    expect(() => decodeLsstLc(ztf, 'alert_lc of 42')).toThrow(/alert_lc of 42: not a stored LSST light curve/);
    expect(() => decodeLsstLc(blob.subarray(0, blob.length - 1), 'x')).toThrow(/x: stored LSST light curve of 4 points/);
  });

  it('an empty curve is 8 bytes', () => {
    expect(decodeLsstLc(encodeLsstLc([]))).toEqual([]);
  });
});

describe('LSST night (dayObs)', () => {
  it('is the date at UTC-12h: one Chilean night keeps one date across UT midnight', () => {
    // MJD 61041.0 = 2026-01-01 00:00 UT (MJD 40587 = 1970-01-01). 23:30 UT on 12-31 and 08:00 UT on 01-01 are
    // one night, begun on 12-31.
    expect(lsstNight(61041 - 0.5 / 24)).toBe('2025-12-31');
    expect(lsstNight(61041 + 8 / 24)).toBe('2025-12-31');
    // The boundary is 12:00 UT.
    expect(lsstNight(61041 + 11.99 / 24)).toBe('2025-12-31');
    expect(lsstNight(61041 + 12.01 / 24)).toBe('2026-01-01');
    // The real file's alerts (midpointMjdTai 61041.221-61041.231: 05:18 UT on 2026-01-01).
    expect(lsstNight(61041.221)).toBe('2025-12-31');
    expect(mjdToJd(61041)).toBe(2461041.5);
  });
});
