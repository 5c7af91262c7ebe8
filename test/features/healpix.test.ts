import { describe, expect, it } from 'vitest';
import { icrsToGalactic } from '../../core/features/coords.js';
import { ang2pixRing, getInterpWeightsRing, interpValRing, nside2npix, pix2angRing } from '../../core/features/healpix.js';

describe('RING ang2pix', () => {
  it('hand-derivable cases: poles, equator', () => {
    for (const nside of [1, 2, 4, 64]) {
      const npix = nside2npix(nside);
      // North pole: the first pixel of the first ring (phi 0 lies in its first quarter).
      expect(ang2pixRing(nside, 0, 0)).toBe(0);
      // South pole, phi 0: the first pixel of the last ring, which has 4 pixels.
      expect(ang2pixRing(nside, Math.PI, 0)).toBe(npix - 4);
      // Near the south pole at phi = 5 rad (> 3π/2): the last pixel of the last ring.
      expect(ang2pixRing(nside, Math.PI - 1e-9, 5)).toBe(npix - 1);
    }
    // Equator, nside 1: pixels 4..7 form the equatorial ring (centres at phi = 0, π/2, π, 3π/2), so phi 0 → 4 and
    // phi π → 6. For larger nside the equator (ring 2·nside) starts after 2n(n-1) + n·4n pixels: 24192 for 64.
    expect(ang2pixRing(1, Math.PI / 2, 0)).toBe(4);
    expect(ang2pixRing(1, Math.PI / 2, Math.PI)).toBe(6);
    expect(ang2pixRing(2, Math.PI / 2, 0)).toBe(12);
    expect(ang2pixRing(4, Math.PI / 2, Math.PI)).toBe(96);
    expect(ang2pixRing(64, Math.PI / 2, 0)).toBe(24192);
    expect(ang2pixRing(64, Math.PI / 2, Math.PI)).toBe(24576);
  });

  it('agrees with healpy 1.16 on scattered points (values from healpy.ang2pix)', () => {
    const cases: [number, number, number, number][] = [
      [1, 0.3, 6.2, 3],
      [1, 2.5, 3.3, 10],
      [1, Math.acos(2 / 3), 0.1, 0],
      [1, 1.0, 0.01, 4],
      [2, 0.3, 6.2, 3],
      [2, 2.5, 3.3, 40],
      [2, Math.acos(2 / 3), 0.1, 4],
      [4, 0.3, 6.2, 11],
      [4, 2.5, 3.3, 174],
      [4, 1.0, 0.01, 40],
      [64, 0.3, 6.2, 1198],
      [64, 2.5, 3.3, 44354],
      [64, Math.acos(2 / 3), 0.1, 8068],
      [64, 1.0, 0.01, 11136],
    ];
    for (const [nside, theta, phi, pix] of cases) expect(ang2pixRing(nside, theta, phi), `${nside} ${theta} ${phi}`).toBe(pix);
  });

  it('pix2ang gives pixel centres (healpy.pix2ang) and round-trips through ang2pix', () => {
    const centres: [number, number, number][] = [
      [0, 0.20448019896853498, 0.7853981633974483],
      [5, 0.4111378623223478, 1.1780972450961724],
      [40, 1.0471975511965979, 0.0],
      [100, 1.5707963267948966, 4.908738521234051],
      [187, 2.7304547912674453, 5.890486225480862],
      [191, 2.9371124546212584, 5.497787143782138],
    ];
    for (const [pix, theta, phi] of centres) {
      const c = pix2angRing(4, pix);
      expect(c.theta).toBeCloseTo(theta, 12);
      expect(c.phi).toBeCloseTo(phi, 12);
    }
    for (const nside of [1, 4, 64]) {
      for (let p = 0; p < nside2npix(nside); p += Math.max(1, Math.floor(nside2npix(nside) / 500))) {
        const c = pix2angRing(nside, p);
        expect(ang2pixRing(nside, c.theta, c.phi)).toBe(p);
      }
    }
  });
});

describe('RING bilinear interpolation (get_interp_weights)', () => {
  // [nside, theta, phi, pixels, weights] from healpy.get_interp_weights.
  const ref: [number, number, number, number[], number[]][] = [
    [4, 0.05, 1.0, [2, 3, 0, 1], [0.18886938655647784, 0.18886938655647784, 0.399985238357188, 0.22227598852985625]],
    [4, 0.3, 6.2, [3, 0, 11, 4], [0.2973734612701007, 0.24041381706601234, 0.28006153926984567, 0.18215118239404127]],
    [4, 1.0, 0.01, [39, 24, 40, 41], [0.1086548365179481, 0.12031623756274928, 0.7513948355469999, 0.01963409037230269]],
    [4, Math.PI / 2, 3.0, [95, 96, 111, 112], [0.860562731589023, 0.13943726841097698, 0.0, 0.0]],
    [4, 2.0, 4.5, [130, 131, 147, 148], [0.020980864178052883, 0.49270080642021064, 0.26302239790635046, 0.22329593149538604]],
    [4, 3.1, 2.0, [188, 189, 190, 191], [0.24527291963412623, 0.35643045751339225, 0.19914831142624076, 0.19914831142624076]],
    [4, 3.14, 0.3, [191, 188, 189, 190], [0.2504596482602425, 0.25343474737764043, 0.24805280218105855, 0.24805280218105855]],
    [64, 0.7, 5.5, [5697, 5698, 5912, 5913], [0.22675357528031362, 0.01829631829818243, 0.3200441918900568, 0.43490591453144717]],
    [1, 0.2, 0.1, [1, 2, 3, 0], [0.1905518220453538, 0.1905518220453538, 0.2943098237477844, 0.3245865321615079]],
    [1, 2.9, 3.3, [9, 10, 11, 8], [0.2928439358113956, 0.3507784948200165, 0.17818878468429394, 0.17818878468429394]],
  ];

  it('matches healpy pixel by pixel, including both polar caps', () => {
    const pix = new Int32Array(4);
    const wgt = new Float64Array(4);
    for (const [nside, theta, phi, p, w] of ref) {
      getInterpWeightsRing(nside, theta, phi, pix, wgt);
      expect(Array.from(pix), `${nside} ${theta} ${phi}`).toEqual(p);
      for (let k = 0; k < 4; k++) expect(wgt[k]).toBeCloseTo(w[k], 12);
      expect(wgt.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });

  it('returns the pixel value at a pixel centre and is linear in between', () => {
    const nside = 8;
    const map = Float64Array.from({ length: nside2npix(nside) }, (_, i) => Math.sin(i) * 10);
    for (const p of [0, 17, 300, 400, 767]) {
      const c = pix2angRing(nside, p);
      expect(interpValRing(map, nside, c.theta, c.phi)).toBeCloseTo(map[p], 9);
    }
    // A map constant on the sphere interpolates to that constant everywhere.
    const flat = new Float64Array(nside2npix(nside)).fill(0.25);
    for (let t = 0; t <= Math.PI; t += 0.1) expect(interpValRing(flat, nside, t, t * 7)).toBeCloseTo(0.25, 12);
  });
});

describe('ICRS → Galactic', () => {
  it('Galactic centre and north Galactic pole', () => {
    const gc = icrsToGalactic(266.405, -28.936);
    // 266.405, -28.936 is the Galactic centre rounded to 1e-3 deg: l, b within 0.001 deg of 0.
    expect(Math.min(gc.l, 360 - gc.l)).toBeLessThan(1e-3);
    expect(Math.abs(gc.b)).toBeLessThan(1e-3);
    // astropy: l = 0.000157068, b = 0.000083869
    expect(gc.l).toBeCloseTo(0.000157068, 8);
    expect(gc.b).toBeCloseTo(0.000083869, 8);
    expect(icrsToGalactic(192.859, 27.128).b).toBeGreaterThan(89.999);
    // FK5 pole constants; in ICRS the frame bias moves it by ~10 mas.
    expect(icrsToGalactic(192.8594812065348, 27.12825118085622).b).toBeCloseTo(90, 4);
    // South Galactic pole is the antipode of the north one.
    expect(icrsToGalactic(12.8594812065348, -27.12825118085622).b).toBeCloseTo(-90, 4);
  });

  it('matches astropy (SkyCoord(...).galactic) at other points', () => {
    const ref: [number, number, number, number][] = [
      [180, 45, 149.480534283, 69.38409925],
      [0, 0, 96.33728337, -60.188551947],
      [100, 40, 175.317835882, 15.016045843],
      [80.894, -69.756, 280.465104081, -32.888478928],
      [10.68, 41.27, 121.170575025, -21.571930965],
    ];
    for (const [ra, dec, l, b] of ref) {
      const g = icrsToGalactic(ra, dec);
      expect(g.l).toBeCloseTo(l, 7);
      expect(g.b).toBeCloseTo(b, 7);
    }
  });
});
