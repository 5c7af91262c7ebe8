/**
 * The generated LSST stamps, parsed here with a small FITS reader of their own: laid out like the real Fink file's
 * stamps (same HDUs, types, sizes), science − template = difference pixel for pixel, the PSF sums to 1 and the
 * source's flux is in the difference at the centre.
 */
import { existsSync } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { readParquet } from 'parquet-wasm';
import { readFileSync } from 'node:fs';
import { lsstAlertRows, type Rec } from '../../core/sample/lsst/generate.js';
import { SHARED_DATA } from '../helpers/shared-data.js';

const BLOCK = 2880;
const REAL = `${SHARED_DATA}/fink-lsst/lsstcam_ddf_20260105_v10_0.parquet`;

interface Hdu {
  name: string;
  bitpix: number;
  width: number;
  height: number;
  data: number[];
}

/** Every HDU of a FITS byte string: its EXTNAME ('PRIMARY' for the first), axes and data as numbers. */
function parseFits(bytes: Uint8Array): Hdu[] {
  const out: Hdu[] = [];
  let off = 0;
  while (off < bytes.length) {
    const cards = new Map<string, string>();
    let end = false;
    for (; !end; off += BLOCK) {
      for (let c = 0; c < 36; c++) {
        const text = Buffer.from(bytes.subarray(off + c * 80, off + c * 80 + 80)).toString('ascii');
        const key = text.slice(0, 8).trim();
        if (key === 'END') end = true;
        if (!end && text[8] === '=') cards.set(key, text.slice(10).split('/')[0]!.trim().replace(/'/g, '').trim());
      }
    }
    const bitpix = Number(cards.get('BITPIX'));
    const width = Number(cards.get('NAXIS1'));
    const height = Number(cards.get('NAXIS2'));
    const size = Math.abs(bitpix / 8);
    const view = new DataView(bytes.buffer, bytes.byteOffset + off, width * height * size);
    const data = Array.from({ length: width * height }, (_, i) => (size === 4 ? view.getFloat32(i * 4, false) : view.getFloat64(i * 8, false)));
    out.push({ name: cards.get('EXTNAME') ?? 'PRIMARY', bitpix, width, height, data });
    off += Math.ceil((width * height * size) / BLOCK) * BLOCK;
  }
  return out;
}

/** Least-squares flux of a PSF centred on the stamp, the PSF's σ taken from the PSFIMAGE's second moment. */
function psfFit(image: number[], psf: number[]): number {
  const c = 20;
  const s2 = psf.reduce((acc, v, i) => acc + v * ((i % 41) - c) ** 2, 0);
  const C = 14.5;
  const w = image.map((_, i) => Math.exp(-(((i % 30) - C) ** 2 + (Math.floor(i / 30) - C) ** 2) / (2 * s2)) / (2 * Math.PI * s2));
  const num = image.reduce((acc, v, i) => acc + v * w[i]!, 0);
  const den = w.reduce((acc, v) => acc + v * v, 0);
  return num / den;
}

const shape = (h: Hdu[]): string[] => h.map((x) => `${x.name} ${x.bitpix} ${x.width}x${x.height}`);

describe('generated LSST stamps', () => {
  const alerts = [...lsstAlertRows({ seed: 13, alerts: 40, night: '2025-11-20' })];

  it('hold science − template = difference, a unit PSF, and the source flux at the centre of the difference', () => {
    for (const { row } of alerts) {
      const [sci, tpl, dif] = (['cutoutScience', 'cutoutTemplate', 'cutoutDifference'] as const).map((c) => parseFits(row[c] as Uint8Array));
      expect(shape(sci!)).toEqual(['PRIMARY -32 30x30', 'UNCERT -32 30x30', 'PSFIMAGE -64 41x41']);
      sci![0]!.data.forEach((v, i) => expect(Math.fround(v - tpl![0]!.data[i]!)).toBe(dif![0]!.data[i]));
      expect(dif![2]!.data.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      // A PSF fit at the centre (the Gaussian of the PSFIMAGE's width) recovers psfFlux to within its error: the
      // stamps' noise matches the alert's psfFluxErr (dipoles and streaks excepted).
      const src = row.diaSource as Rec;
      if (src.isDipole || src.pixelFlags_streak) continue;
      const fit = psfFit(dif![0]!.data, dif![2]!.data);
      expect(Math.abs(fit - (src.psfFlux as number))).toBeLessThan(5 * (src.psfFluxErr as number));
    }
  });

  it.skipIf(!existsSync(REAL))('are laid out like the real Fink LSST stamps (HDUs, types, sizes)', () => {
    const t = tableFromIPC(readParquet(readFileSync(REAL), { columns: ['cutoutDifference'] }).intoIPCStream());
    const real = t.getChild('cutoutDifference')!.get(0) as Uint8Array;
    const ours = alerts[0]!.row.cutoutDifference as Uint8Array;
    expect(ours.length).toBe(real.length);
    expect(shape(parseFits(ours))).toEqual(shape(parseFits(real)));
  });
});
