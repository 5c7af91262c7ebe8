import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  decodeCutout,
  FitsError,
  gunzipFits,
  parseFits,
  readColumn,
  readImage,
  readPrimaryHeader,
  readStringColumn,
  tableColumns,
  zscale,
} from '../../core/features/fits.js';
import { concat, fitsImage, fitsTable, header } from './helpers.js';

describe('FITS headers', () => {
  it('parses strings (with quotes), logicals, integers, floats with D exponents, and comments', () => {
    const h = header([
      ['SIMPLE', true],
      ['BITPIX', 8],
      ['NAXIS', 0],
      ['OBJECT', "O'Brien"],
      ['FLAG', false],
      ['CRVAL1', 1.5e-3],
    ]);
    // A raw card with a D exponent and a comment, written by hand.
    const raw = new TextEncoder().encode('LAM_SCAL=              2.048D3 / scale factor'.padEnd(80));
    const bytes = new Uint8Array(h);
    bytes.set(raw, 6 * 80); // overwrite the END card…
    bytes.set(new TextEncoder().encode('END'.padEnd(80)), 7 * 80); // …and put END after it
    const { header: hd } = readPrimaryHeader(bytes);
    expect(hd.get('SIMPLE')).toBe(true);
    expect(hd.get('FLAG')).toBe(false);
    expect(hd.int('BITPIX')).toBe(8);
    expect(hd.string('OBJECT')).toBe("O'Brien");
    expect(hd.number('CRVAL1')).toBeCloseTo(1.5e-3, 15);
    expect(hd.number('LAM_SCAL')).toBe(2048);
  });

  it('rejects what is not FITS, and truncated files, with a reason', () => {
    expect(() => parseFits(new TextEncoder().encode('a,b,c\n1,2,3\n'.repeat(300)))).toThrow(/not a FITS file/);
    expect(() => parseFits(new Uint8Array(10))).toThrow(FitsError);
    const img = fitsImage(10, 10, new Float32Array(100));
    expect(() => parseFits(img.subarray(0, 2880 + 100))).toThrow(/truncated/);
  });
});

describe('FITS images', () => {
  const w = 5;
  const h = 3;
  const vals = Array.from({ length: w * h }, (_, i) => i * 1.5 - 4);

  it('BITPIX -32: float32, big-endian, row-major (x fastest)', () => {
    const img = readImage(parseFits(fitsImage(w, h, vals, -32))[0]);
    expect(img.width).toBe(5);
    expect(img.height).toBe(3);
    expect(img.pixels).toBeInstanceOf(Float32Array);
    expect(Array.from(img.pixels)).toEqual(vals);
    expect(img.pixels[2 * w + 1]).toBe(vals[11]); // pixel (x=1, y=2)
  });

  it('BITPIX -64', () => {
    const v = vals.map((x) => x + 1e-12);
    expect(Array.from(readImage(parseFits(fitsImage(w, h, v, -64))[0]).pixels)).toEqual(v);
  });

  it('BITPIX 16 and 32 with BSCALE/BZERO and BLANK', () => {
    const ints = [0, 1, -2, 300, -32768, 7];
    const img16 = readImage(parseFits(fitsImage(3, 2, ints, 16, [['BSCALE', 0.5], ['BZERO', 10], ['BLANK', -32768]]))[0]);
    expect(Array.from(img16.pixels)).toEqual([10, 10.5, 9, 160, NaN, 13.5]);
    const big = [2_000_000_000, -5, 0, 1, 2, 3];
    expect(Array.from(readImage(parseFits(fitsImage(3, 2, big, 32))[0]).pixels)).toEqual(big);
  });

  it('decodes a gzipped cutout (as the alerts store them)', () => {
    const px = Array.from({ length: 63 * 63 }, (_, i) => Math.fround(Math.sin(i) * 100));
    const gz = gzipSync(fitsImage(63, 63, px, -32));
    expect(gz[0]).toBe(0x1f);
    const img = decodeCutout(gz);
    expect(img.width).toBe(63);
    expect(img.height).toBe(63);
    expect(img.pixels[1000]).toBe(px[1000]);
    // Plain (not gzipped) bytes pass through gunzipFits unchanged.
    const plain = fitsImage(2, 2, [1, 2, 3, 4]);
    expect(gunzipFits(plain)).toBe(plain);
  });
});

describe('FITS binary tables', () => {
  it("reads 'E', 'D' and '1E' columns and a repeat count", () => {
    const bytes = fitsTable(
      [
        { name: 'I', form: 'E', values: [0.5, 1.5, 2.5, 3.5] },
        { name: 'lambda_eff', form: 'D', values: [1e-9, 2, 3, 4] },
        { name: 'Q', form: '1E', values: [9, 8, 7, 6] },
        { name: 'VEC', form: '3E', values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
      ],
      4,
      [['NSIDE', 1]],
    );
    const hdus = parseFits(bytes);
    expect(hdus.length).toBe(2);
    const t = hdus[1];
    expect(t.header.number('NSIDE')).toBe(1);
    expect(tableColumns(t).map((c) => [c.name, c.repeat, c.type, c.offset])).toEqual([
      ['I', 1, 'E', 0],
      ['lambda_eff', 1, 'D', 4],
      ['Q', 1, 'E', 12],
      ['VEC', 3, 'E', 16],
    ]);
    expect(Array.from(readColumn(t, 'I'))).toEqual([0.5, 1.5, 2.5, 3.5]);
    expect(Array.from(readColumn(t, 'lambda_eff'))).toEqual([1e-9, 2, 3, 4]);
    expect(Array.from(readColumn(t, 'q'))).toEqual([9, 8, 7, 6]); // case-insensitive fallback
    expect(Array.from(readColumn(t, 'VEC'))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(() => readColumn(t, 'nope')).toThrow(/no column 'nope'/);
  });

  it('reads string columns', () => {
    const primary = header([['SIMPLE', true], ['BITPIX', 8], ['NAXIS', 0]]);
    const h = header([
      ['XTENSION', 'BINTABLE'],
      ['BITPIX', 8],
      ['NAXIS', 2],
      ['NAXIS1', 6],
      ['NAXIS2', 2],
      ['PCOUNT', 0],
      ['GCOUNT', 1],
      ['TFIELDS', 1],
      ['TTYPE1', 'filter'],
      ['TFORM1', '6A'],
    ]);
    const data = new Uint8Array(2880);
    data.set(new TextEncoder().encode('PS1_g PS1_r '));
    const t = parseFits(concat([primary, h, data]))[1];
    expect(readStringColumn(t, 'filter')).toEqual(['PS1_g', 'PS1_r']);
  });
});

describe('zscale', () => {
  // Expected limits computed with astropy 5.2 ZScaleInterval().get_limits on the same arrays.
  it('matches astropy on a 63×63 stamp with stars and outliers', () => {
    const n = 63;
    const img = new Float32Array(n * n);
    for (let i = 0; i < n * n; i++) {
      img[i] = 100 + 0.01 * (i % n) + 5 * Math.sin(i * 0.37) + (i % 97 === 0 ? 5000 : 0) + (i % 211 === 0 ? -300 : 0);
    }
    const { z1, z2 } = zscale(img);
    expect(z1).toBeCloseTo(75.39307242813433, 6);
    expect(z2).toBeCloseTo(125.4495997687112, 6);
  });

  it('matches astropy with stride sampling of a long array', () => {
    const y = Float64Array.from({ length: 5000 }, (_, i) => Math.sqrt(i) * 3 + (i % 13 === 0 ? 1000 : 0));
    const { z1, z2 } = zscale(y);
    expect(z1).toBeCloseTo(6.708203932499369, 8);
    expect(z2).toBeCloseTo(490.23964360946206, 6);
  });

  it('falls back to min/max for tiny samples and ignores NaN', () => {
    expect(zscale([1, 2, 3])).toEqual({ z1: 1, z2: 3 });
    expect(zscale([NaN, 2, NaN, 5])).toEqual({ z1: 2, z2: 5 });
    const all = zscale([NaN, NaN]);
    expect(all.z1).toBeNaN();
  });
});
