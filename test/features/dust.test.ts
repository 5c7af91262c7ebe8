import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { icrsToGalactic } from '../../core/features/coords.js';
import {
  DUST_MISSING_WARNING,
  DustMapError,
  findDustMap,
  HealpixDustMap,
  LambertHemisphere,
  loadDustMap,
  SfdLambertDustMap,
} from '../../core/features/dust.js';
import { FitsHeader } from '../../core/features/fits.js';
import { nside2npix, pix2angRing } from '../../core/features/healpix.js';
import { fitsImage, fitsTable } from './helpers.js';

const DEG = Math.PI / 180;

// A small SFD-like pair: 64×64, LAM_SCAL 32, CRPIX 32.5 (the real maps: 4096, 2048, 2048.5).
const N = 64;
const SCAL = 32;
const CRPIX = 32.5;
const northValue = (x: number, y: number): number => x + 100 * y;
const southValue = (x: number, y: number): number => -(x + 100 * y) - 1;

function lambertFits(north: boolean): Uint8Array {
  const vals = new Float32Array(N * N);
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) vals[y * N + x] = north ? northValue(x, y) : southValue(x, y);
  return fitsImage(N, N, vals, -32, [
    ['CTYPE1', north ? 'GLON-ZEA' : 'GLON-ZEA'],
    ['CTYPE2', 'GLAT-ZEA'],
    ['CRPIX1', CRPIX],
    ['CRPIX2', CRPIX],
    ['CRVAL1', 0],
    ['CRVAL2', north ? 90 : -90],
    ['LAM_NSGP', north ? 1 : -1],
    ['LAM_SCAL', SCAL],
  ]);
}

/** sfdmap's pixel formula, written out independently here. */
function sfdmapPixel(lDeg: number, bDeg: number, north: boolean, crpix = CRPIX, scal = SCAL): [number, number] {
  const n = north ? 1 : -1;
  const r = scal * Math.sqrt(1 - n * Math.sin(bDeg * DEG));
  return [crpix - 1 + r * Math.cos(lDeg * DEG), crpix - 1 - n * r * Math.sin(lDeg * DEG)];
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'finkvra-dust-'));
  writeFileSync(join(dir, 'SFD_dust_4096_ngp.fits'), lambertFits(true));
  writeFileSync(join(dir, 'SFD_dust_4096_sgp.fits'), lambertFits(false));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SFD Lambert pair', () => {
  it('pixel formula: the real maps’ constants give SFD98’s documented corners', () => {
    const h = new FitsHeader();
    for (const [k, v] of Object.entries({ CRPIX1: 2048.5, CRPIX2: 2048.5, LAM_SCAL: 2048, LAM_NSGP: 1, NAXIS1: 4096, NAXIS2: 4096 })) {
      h.cards.set(k, v);
    }
    const north = new LambertHemisphere(h, new Float32Array(1), 'x');
    expect(north.pixel(0, Math.PI / 2)).toEqual({ x: 2047.5, y: 2047.5 }); // the pole at the centre
    const e = north.pixel(0, 0); // l = 0 on the equator: right edge
    expect(e.x).toBeCloseTo(4095.5, 9);
    expect(e.y).toBeCloseTo(2047.5, 9);
    const q = north.pixel(90 * DEG, 0); // l = 90: bottom edge (y decreases with l in the north)
    expect(q.x).toBeCloseTo(2047.5, 9);
    expect(q.y).toBeCloseTo(-0.5, 9);
    h.cards.set('LAM_NSGP', -1);
    const south = new LambertHemisphere(h, new Float32Array(1), 'x');
    const s = south.pixel(90 * DEG, 0); // in the south y increases with l
    expect(s.y).toBeCloseTo(4095.5, 9);
    for (const [l, b] of [[33, 20], [200, 75], [310, 1]]) {
      const p = north.pixel(l * DEG, b * DEG);
      const [x, y] = sfdmapPixel(l, b, true, 2048.5, 2048);
      expect(p.x).toBeCloseTo(x, 9);
      expect(p.y).toBeCloseTo(y, 9);
    }
  });

  it('ebv is bilinear in the pixel grid, north for b >= 0 and south for b < 0', () => {
    const map = loadDustMap(dir);
    expect(map).toBeInstanceOf(SfdLambertDustMap);
    expect(map.kind).toBe('sfd-lambert');
    let north = 0;
    let south = 0;
    for (const [ra, dec] of [[180, 45], [10, -30], [250, 60], [300, -75], [45, 5], [120, -5]]) {
      const { l, b } = icrsToGalactic(ra, dec);
      const isNorth = b >= 0;
      const [x, y] = sfdmapPixel(l, b, isNorth);
      // The synthetic map is linear in (x, y), so bilinear interpolation must reproduce it exactly (inside the grid).
      const expected = isNorth ? northValue(x, y) : southValue(x, y);
      expect(map.ebv(ra, dec), `${ra} ${dec}`).toBeCloseTo(expected, 3);
      if (isNorth) north++;
      else south++;
    }
    expect(north).toBeGreaterThan(1);
    expect(south).toBeGreaterThan(1);
    expect(map.ebv(NaN, 3)).toBeNaN();
  });

  it('loads from either hemisphere file (finding its partner) and fails clearly without it', () => {
    const viaSouth = loadDustMap(join(dir, 'SFD_dust_4096_sgp.fits')) as SfdLambertDustMap;
    expect(viaSouth.northFile).toBe(join(dir, 'SFD_dust_4096_ngp.fits'));
    const lone = mkdtempSync(join(tmpdir(), 'finkvra-dust-lone-'));
    try {
      writeFileSync(join(lone, 'SFD_dust_4096_ngp.fits'), lambertFits(true));
      expect(() => loadDustMap(join(lone, 'SFD_dust_4096_ngp.fits'))).toThrow(/SFD_dust_4096_sgp\.fits is missing/);
      // A truncated hemisphere is refused with the file named.
      writeFileSync(join(lone, 'SFD_dust_4096_sgp.fits'), lambertFits(false).subarray(0, 2880 + 1000));
      expect(() => loadDustMap(lone)).toThrow(/SFD_dust_4096_sgp\.fits: truncated/);
    } finally {
      rmSync(lone, { recursive: true, force: true });
    }
  });
});

describe('HEALPix map', () => {
  const nside = 4;
  const values = Float64Array.from({ length: nside2npix(nside) }, (_, i) => i / 100);

  it('reads a BINTABLE column I, RING, Galactic; nearest = the pixel, ebv = healpy-style interpolation', () => {
    const bytes = fitsTable([{ name: 'I', form: 'E', values }], values.length, [
      ['PIXTYPE', 'HEALPIX'],
      ['ORDERING', 'RING'],
      ['NSIDE', nside],
      ['INDXSCHM', 'IMPLICIT'],
    ]);
    const m = HealpixDustMap.fromFits(bytes, 'mem');
    expect(m.nside).toBe(4);
    for (const p of [0, 50, 100, 191]) {
      const c = pix2angRing(nside, p);
      const l = c.phi / DEG;
      const b = 90 - c.theta / DEG;
      expect(m.nearestGalactic(l, b)).toBeCloseTo(values[p], 6);
      expect(m.ebvGalactic(l, b)).toBeCloseTo(values[p], 6);
    }
  });

  it('loads a gzipped map file', () => {
    const d = mkdtempSync(join(tmpdir(), 'finkvra-dust-gz-'));
    try {
      const bytes = fitsTable([{ name: 'I', form: 'E', values }], values.length, [['NSIDE', nside], ['ORDERING', 'RING']]);
      writeFileSync(join(d, 'dust_ebv_SFD_healpix.fits.gz'), gzipSync(bytes));
      const m = loadDustMap(d) as HealpixDustMap;
      expect(m.kind).toBe('healpix');
      expect(m.nearestGalactic(0, 90)).toBeCloseTo(values[0], 6);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('a celestial-frame map (COORDSYS C) is indexed by RA/Dec directly', () => {
    const bytes = fitsTable([{ name: 'I', form: 'D', values }], values.length, [
      ['NSIDE', nside],
      ['ORDERING', 'RING'],
      ['COORDSYS', 'C'],
    ]);
    const m = HealpixDustMap.fromFits(bytes, 'mem');
    const c = pix2angRing(nside, 77);
    expect(m.ebv(c.phi / DEG, 90 - c.theta / DEG)).toBeCloseTo(values[77], 9);
  });

  it('refuses bad maps with the file and the reason', () => {
    const nested = fitsTable([{ name: 'I', form: 'E', values }], values.length, [['NSIDE', nside], ['ORDERING', 'NESTED']]);
    expect(() => HealpixDustMap.fromFits(nested, 'n.fits')).toThrow(/n\.fits: ORDERING NESTED is not supported/);
    const wrong = fitsTable([{ name: 'I', form: 'E', values }], values.length, [['NSIDE', 8]]);
    expect(() => HealpixDustMap.fromFits(wrong, 'w.fits')).toThrow(/192 values for NSIDE 8 \(expected 768\)/);
    const noNside = fitsTable([{ name: 'I', form: 'E', values }], values.length);
    expect(() => HealpixDustMap.fromFits(noNside, 'x.fits')).toThrow(DustMapError);
  });
});

describe('loadDustMap / findDustMap', () => {
  it('explains what is wrong with a bad file or directory', () => {
    const bad = mkdtempSync(join(tmpdir(), 'finkvra-dust-bad-'));
    try {
      writeFileSync(join(bad, 'random.fits'), new Uint8Array(5000).map((_, i) => (i * 7919) % 256));
      expect(() => loadDustMap(join(bad, 'random.fits'))).toThrow(/dust map .*random\.fits: not a FITS file/);
      expect(() => loadDustMap(bad)).toThrow(/no dust map in this directory/);
      expect(() => loadDustMap(join(bad, 'nope.fits'))).toThrow(/no such file or directory/);
      // findDustMap: missing candidates and an empty data dir mean "no map"; an existing broken file is an error.
      expect(findDustMap([join(bad, 'nope'), bad, null, undefined])).toBeNull();
      expect(() => findDustMap([join(bad, 'random.fits')])).toThrow(DustMapError);
      expect(findDustMap([join(bad, 'nope'), dir])?.kind).toBe('sfd-lambert');
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });

  it('the missing-map warning says how to get one', () => {
    expect(DUST_MISSING_WARNING).toMatch(/finkvra dust fetch/);
    expect(DUST_MISSING_WARNING).toMatch(/--dust FILE/);
  });
});
