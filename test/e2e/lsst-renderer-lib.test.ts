/** The LSST card's pure helpers, in Node: band styles, flux / magnitude points, readout, stepping, panel rows, cutouts. */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { LsstCard, LsstFluxPoint } from '../../core/api/types.js';
import { fitsImage } from '../../core/sample/fits.js';
import { decodeCutout } from '../../renderer/src/lib/fits.js';
import { contrastRatio, jdTick, nearestIndex, PLOT_BACKGROUND, stepIndex } from '../../renderer/src/lib/lc-readout.js';
import { LSST_BAND_STYLE, LSST_BANDS, lsstBandOf } from '../../renderer/src/lib/lsst-bands.js';
import { diaObjectRows, setFlags } from '../../renderer/src/lib/lsst-card.js';
import { jdToMjd, leftOutText, lsstPlot, lsstReadoutText, mjdDateTime, mjdTick } from '../../renderer/src/lib/lsst-lightcurve.js';
import { markerGeometry, markerSvgPath, MARKER_SHAPES } from '../../renderer/src/lib/plot-marks.js';
import { embedsLasairPage, missingLinkText, SURVEY_NAME } from '../../renderer/src/lib/survey.js';

const pt = (mjd: number, band: string | null, flux: number | null, fluxErr: number | null, kind: LsstFluxPoint['kind'] = 'detection'): LsstFluxPoint => ({
  mjd,
  band,
  flux,
  fluxErr,
  mag: null,
  magErr: null,
  kind,
});

describe('LSST band styles', () => {
  it('give every band u g r i z y its own colour and its own marker shape', () => {
    expect(LSST_BANDS).toEqual(['u', 'g', 'r', 'i', 'z', 'y']);
    const styles = LSST_BANDS.map((b) => LSST_BAND_STYLE[b]);
    expect(styles.every((s) => s && /^#[0-9A-Fa-f]{6}$/.test(s.colour))).toBe(true);
    expect(new Set(styles.map((s) => s.colour.toLowerCase())).size).toBe(6);
    expect(new Set(styles.map((s) => s.marker)).size).toBe(6);
    for (const s of styles) expect(MARKER_SHAPES).toContain(s.marker);
  });
  it('are dark enough for 3:1 on the white plot (markers and limit arrows are drawn in them)', () => {
    for (const b of LSST_BANDS) expect(contrastRatio(LSST_BAND_STYLE[b].colour, PLOT_BACKGROUND)).toBeGreaterThanOrEqual(3);
  });
  it('know the LSST band names only', () => {
    expect(lsstBandOf('i')).toBe('i');
    expect(lsstBandOf('G')).toBeNull();
    expect(lsstBandOf(null)).toBeNull();
  });
  it('draw different outlines: a square has 4 corners at ±0.9 r, a star 10', () => {
    expect(markerGeometry('square', 10, 20, 2)).toEqual({ polygon: [[8.2, 18.2], [11.8, 18.2], [11.8, 21.8], [8.2, 21.8]] });
    expect(markerGeometry('circle', 0, 0, 3)).toEqual({ circle: 3 });
    const star = markerGeometry('star', 0, 0, 1);
    expect('polygon' in star && star.polygon.length).toBe(10);
    expect(markerSvgPath('diamond', 6, 6, 4)).toBe('M 6.00 1.20 L 10.80 6.00 L 6.00 10.80 L 1.20 6.00 Z');
  });
});

describe('lsstPlot', () => {
  // Out of time order on purpose; fluxes in nJy. 1000 nJy = 31.4 − 2.5·3 = 23.9 mag; 10 000 nJy = 21.4 mag.
  const lc = [
    pt(61041.3, 'g', 10_000, 200),
    pt(61041.1, 'i', 1000, 100),
    pt(61041.2, 'i', -500, 120),
    pt(61041.25, 'r', 0, 80, 'forced'),
    pt(61041.05, 'z', null, 200, 'limit'),
    pt(61041.4, 'Y', 3000, 100),
  ];

  it('flux mode: every point with a band, in time order, negatives flagged, zero in the range', () => {
    const p = lsstPlot(lc, 'flux', { mjd: 61041.3, band: 'g', flux: 10_000, fluxErr: 200 });
    expect(p.points.map((q) => [q.mjd, q.band, q.y, q.kind])).toEqual([
      [61041.05, 'z', 1000, 'limit'], // 5σ of a 200 nJy noise
      [61041.1, 'i', 1000, 'detection'],
      [61041.2, 'i', -500, 'detection'],
      [61041.25, 'r', 0, 'forced'],
      [61041.3, 'g', 10_000, 'detection'],
    ]);
    expect(p.points.map((q) => q.negative)).toEqual([false, false, true, false, false]);
    expect(p.bands).toEqual(['g', 'r', 'i', 'z']);
    expect(p.current).toBe(4);
    expect(p.leftOut).toEqual({ notPositive: 0, noBand: 1 });
    // lo = −500 − 120 = −620, hi = 10 000 + 200 = 10 200; pad = 0.08 · 10 820 = 865.6
    expect(p.yRange[0]).toBeCloseTo(-1485.6, 6);
    expect(p.yRange[1]).toBeCloseTo(11_065.6, 6);
    // Time: 61041.05 … 61041.3, span 0.25 d padded by max(0.01, 5 % = 0.0125).
    expect(p.xRange[0]).toBeCloseTo(61041.0375, 9);
    expect(p.xRange[1]).toBeCloseTo(61041.3125, 9);
  });

  it('magnitude mode: AB magnitudes of flux > 0 only, and says how many were left out', () => {
    const p = lsstPlot(lc, 'mag', { mjd: 61041.3, band: 'g', flux: 10_000, fluxErr: 200 });
    expect(p.points.map((q) => q.band)).toEqual(['z', 'i', 'g']);
    expect(p.points[0].y).toBeCloseTo(23.9, 10); // the limit: 5 × 200 = 1000 nJy
    expect(p.points[1].y).toBeCloseTo(23.9, 10);
    expect(p.points[1].err).toBeCloseTo(0.108574, 6); // 2.5 / ln 10 × 100 / 1000
    expect(p.points[2].y).toBeCloseTo(21.4, 10);
    expect(p.current).toBe(2);
    expect(p.leftOut).toEqual({ notPositive: 2, noBand: 1 });
    expect(leftOutText(p)).toBe('Not shown: 2 points with flux ≤ 0 (no magnitude), 1 point of no known band.');
  });

  it('adds the card’s own source when the curve lacks it (another epoch or band), and marks it', () => {
    const r = lsstPlot(lc, 'flux', { mjd: 61041.3, band: 'r', flux: 700, fluxErr: 50 });
    expect(r.points.length).toBe(6);
    expect(r.current).toBe(5); // after the g point of the same epoch (stable sort)
    expect(r.points[5]).toEqual({ mjd: 61041.3, band: 'r', kind: 'detection', y: 700, err: 50, negative: false });
    const later = lsstPlot(lc, 'flux', { mjd: 61041.31, band: 'g', flux: 9000, fluxErr: 150 });
    expect(later.current).toBe(5);
    expect(later.points[later.current!].y).toBe(9000);
    // Without a flux it cannot be drawn: not added, nothing ringed.
    expect(lsstPlot(lc, 'flux', { mjd: 61041.31, band: 'g', flux: null, fluxErr: null }).current).toBeNull();
    expect(lsstPlot([], 'flux', null)).toMatchObject({ points: [], bands: [], yRange: [-1, 1] });
  });

  it('a single point gets a time axis of ±0.01 d around it (not a range scaled by its MJD)', () => {
    const one = lsstPlot([pt(61041.2213, 'i', 2650, 120)], 'flux', { mjd: 61041.2213, band: 'i', flux: 2650, fluxErr: 120 });
    expect(one.points.length).toBe(1);
    expect(one.xRange[0]).toBeCloseTo(61041.2113, 9);
    expect(one.xRange[1]).toBeCloseTo(61041.2313, 9);
    expect(one.current).toBe(0);
  });
});

describe('LSST readout and axis', () => {
  it('names date, MJD, band, flux ± error, and what a point is', () => {
    // MJD 60000 is 2023-02-25 00:00 UTC; +0.75 d is 18:00.
    expect(mjdDateTime(60000.75)).toBe('2023-02-25 18:00');
    expect(jdToMjd(2460000.5)).toBe(60000);
    const base = { mjd: 60000.75, band: 'i' as const, err: 56.4, negative: false };
    expect(lsstReadoutText({ ...base, kind: 'detection', y: 1234.4 }, 'flux')).toBe('2023-02-25 18:00 UTC (MJD 60000.7500) · i 1234 ± 56 nJy');
    expect(lsstReadoutText({ ...base, kind: 'forced', y: -310, negative: true }, 'flux')).toBe(
      '2023-02-25 18:00 UTC (MJD 60000.7500) · i -310 ± 56 nJy (forced photometry; negative difference: fainter than the template)',
    );
    expect(lsstReadoutText({ ...base, kind: 'detection', y: 23.9, err: 0.1086 }, 'mag')).toBe('2023-02-25 18:00 UTC (MJD 60000.7500) · i 23.90 ± 0.11 mag');
    expect(lsstReadoutText({ ...base, kind: 'limit', y: 1000, err: null }, 'flux')).toBe('2023-02-25 18:00 UTC (MJD 60000.7500) · i 5σ limit: below 1000 nJy');
    expect(lsstReadoutText({ ...base, kind: 'limit', y: 23.9, err: null }, 'mag')).toBe('2023-02-25 18:00 UTC (MJD 60000.7500) · i 5σ limit: fainter than 23.90 mag');
  });
  it('date ticks: the day, or day and time within a single night', () => {
    expect(mjdTick(60000.75, 10)).toBe('2023-02-25');
    expect(mjdTick(60000.75, 0.01)).toBe('02-25 18:00');
    // The same for ZTF's Julian dates: JD 2460000.25 is MJD 59999.75, 2023-02-24 18:00.
    expect(jdTick(2460000.25, 1)).toBe('02-24 18:00');
    expect(jdTick(2460000.25, 30)).toBe('2023-02-24');
  });
});

describe('readout stepping and nearest point (shared by the ZTF and LSST plots)', () => {
  const has = (i: number) => i !== 2; // no point at index 2
  it('→ starts at the first point, ← at the last, and skips indices without a point', () => {
    expect(stepIndex(5, undefined, 1, has)).toBe(0);
    expect(stepIndex(5, undefined, -1, has)).toBe(4);
    expect(stepIndex(5, 1, 1, has)).toBe(3);
    expect(stepIndex(5, 3, -1, has)).toBe(1);
    expect(stepIndex(5, 4, 1, has)).toBeNull();
    expect(stepIndex(5, 0, -1, has)).toBeNull();
    expect(stepIndex(0, undefined, 1, has)).toBeNull();
  });
  it('picks the point nearest the cursor in pixels, none beyond the reach', () => {
    const pos = [{ x: 0, y: 0 }, null, { x: 10, y: 10 }, { x: 30, y: 0 }];
    expect(nearestIndex(4, (i) => pos[i], { x: 8, y: 7 })).toBe(2);
    expect(nearestIndex(4, (i) => pos[i], { x: 26, y: 1 })).toBe(3);
    expect(nearestIndex(4, (i) => pos[i], { x: 100, y: 100 }, 30)).toBeNull();
  });
});

describe('LSST panel helpers', () => {
  it('lists the set flags and those the schema lacks', () => {
    const flags: LsstCard['flags'] = { trail_flag_edge: true, glint_trail: false, pixelFlags_streak: null };
    expect(setFlags(flags)).toEqual({ set: ['trail_flag_edge'], unknown: ['pixelFlags_streak'] });
  });
  it('makes one diaObject row per band with data, in u g r i z y order', () => {
    const o = { i_psfFluxMean: 812.5, i_psfFluxSigma: 40, i_psfFluxNdata: 3, g_psfFluxMean: 120, g_psfFluxSigma: 9, g_psfFluxNdata: 1, r_psfFluxMean: NaN, r_psfFluxNdata: 0, nDiaSources: 4 };
    expect(diaObjectRows(o)).toEqual({
      rows: [
        { band: 'g', mean: 120, sigma: 9, ndata: 1 },
        { band: 'i', mean: 812.5, sigma: 40, ndata: 3 },
      ],
      nDiaSources: 4,
    });
    expect(diaObjectRows({}).nDiaSources).toBeNull();
  });
  it('names the survey and why a link is missing', () => {
    expect(SURVEY_NAME).toEqual({ ztf: 'ZTF', lsst: 'Rubin/LSST' });
    const sso = { diaObjectId: null, ssObjectId: '21163611723', ssDesignation: 'K24A00B' } as LsstCard;
    expect(missingLinkText({ objectId: 'K24A00B', links: { lasair: null, fink: 'https://x' }, lsst: sso }, 'lasair')).toBe(
      'Lasair has no page for K24A00B: a solar-system source without a diaObject',
    );
    expect(missingLinkText({ objectId: 'K24A00B', links: { lasair: null, fink: 'https://x' }, lsst: sso }, 'fink')).toBeNull();
    expect(missingLinkText({ objectId: 'ZTF1', links: { lasair: null, fink: null }, lsst: null }, 'fink')).toBe('Fink has no page for ZTF1');
  });
  it('the app pane embeds the Lasair page of either survey, and holds the links when there is none', () => {
    expect(embedsLasairPage({ links: { lasair: 'https://lasair.lsst.ac.uk/objects/169813006111211570/', fink: null } })).toBe(true);
    expect(embedsLasairPage({ links: { lasair: 'https://lasair-ztf.lsst.ac.uk/objects/ZTF21abc/', fink: null } })).toBe(true);
    expect(embedsLasairPage({ links: { lasair: null, fink: 'https://lsst.fink-portal.org/K24A00B' } })).toBe(false);
  });
});

describe('cutouts: gzipped (ZTF) and uncompressed (Fink’s LSST files) FITS alike', () => {
  // 2×2 image, FITS row 0 (bottom) = [0, 10], row 1 (top) = [20, 30]: a ramp, so zscale maps it 0 → 255.
  const px = new Float32Array([0, 10, 20, 30]);
  const plain = fitsImage(px, 2, 2);
  it('both forms give the same grey pixels, north up', () => {
    expect(new TextDecoder().decode(plain.subarray(0, 6))).toBe('SIMPLE');
    const a = decodeCutout(Buffer.from(plain).toString('base64'));
    const b = decodeCutout(Buffer.from(gzipSync(plain)).toString('base64'));
    if (!a || 'error' in a || !b || 'error' in b) throw new Error('not decoded');
    expect([a.width, a.height]).toEqual([2, 2]);
    const grey = (d: typeof a) => Array.from({ length: 4 }, (_, i) => d.rgba[i * 4]);
    expect(grey(a)).toEqual(grey(b));
    // Screen row 0 is FITS row 1 (20, 30), brighter than the bottom row (0, 10).
    const g = grey(a);
    expect(g[0]).toBeLessThan(g[1]);
    expect(g[2]).toBeLessThan(g[0]);
    expect(g[2]).toBe(0);
    expect(g[1]).toBe(255);
  });
});
