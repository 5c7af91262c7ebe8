/**
 * LSST stamps as Fink stores them: uncompressed multi-extension FITS laid out like the real Fink file's (34,560 bytes):
 * the 30×30 float32 image (BUNIT nJy, a TAN WCS centred on the source), an UNCERT extension (per-pixel σ) and a
 * 41×41 float64 PSFIMAGE. Science − template = difference, exactly (as float32). Noise comes from a fixed table of normals read at
 * a random offset: drawing 2,700 normals per alert would dominate a large night's generation time.
 */
import { Rng } from '../rng.js';

export const STAMP_SIZE = 30;
const N = STAMP_SIZE;
const C = (N - 1) / 2;
const BLOCK = 2880;
/** LSSTCam pixels are 0.2″. */
const PIXEL_DEG = 0.2 / 3600;

export interface StampScene {
  ra: number;
  dec: number;
  /** PSF FWHM in pixels. */
  fwhmPix: number;
  /** Difference flux of the source, nJy (may be negative). */
  diffFlux: number;
  /** Flux at the position in the template (star or host), nJy. */
  templateFlux: number;
  /** True when the template flux is an extended host rather than a point source. */
  extended: boolean;
  /** 1σ flux error of a PSF measurement, nJy: sets the pixel noise. */
  fluxErr: number;
  artefact: 'none' | 'dipole' | 'streak';
}

export interface StampTriplet {
  science: Uint8Array;
  template: Uint8Array;
  difference: Uint8Array;
}

function card(key: string, value: string, quoted = false): string {
  const v = quoted ? `'${value.padEnd(8)}'`.padEnd(20) : value.padStart(20);
  return `${key.padEnd(8)}= ${v}`.padEnd(80);
}

/** The WCS cards of a stamp centred on (ra, dec). */
function wcs(ra: number, dec: number): string[] {
  return [
    card('WCSAXES', '2'),
    card('CTYPE1', 'RA---TAN', true),
    card('CTYPE2', 'DEC--TAN', true),
    card('CRPIX1', (C + 1).toFixed(1)),
    card('CRPIX2', (C + 1).toFixed(1)),
    card('CD1_1', (-PIXEL_DEG).toExponential(10)),
    card('CD2_2', PIXEL_DEG.toExponential(10)),
    card('CRVAL1', ra.toFixed(10)),
    card('CRVAL2', dec.toFixed(10)),
  ];
}

/** One HDU: header cards (END added) and big-endian float32 (BITPIX −32) or float64 (−64) data, padded to blocks. */
function hdu(cards: string[], values: ArrayLike<number>, bitpix: -32 | -64): Uint8Array {
  const head = [...cards, 'END'.padEnd(80)].join('');
  const headBytes = Math.ceil(head.length / BLOCK) * BLOCK;
  const width = bitpix === -32 ? 4 : 8;
  const out = new Uint8Array(headBytes + Math.ceil((values.length * width) / BLOCK) * BLOCK);
  out.fill(0x20, 0, headBytes);
  for (let i = 0; i < head.length; i++) out[i] = head.charCodeAt(i);
  const view = new DataView(out.buffer, headBytes);
  for (let i = 0; i < values.length; i++) {
    if (bitpix === -32) view.setFloat32(i * 4, values[i]!, false);
    else view.setFloat64(i * 8, values[i]!, false);
  }
  return out;
}

const axes = (bitpix: number, n: number): string[] => [card('BITPIX', String(bitpix)), card('NAXIS', '2'), card('NAXIS1', String(n)), card('NAXIS2', String(n))];
const extension = (name: string, bitpix: number, n: number): string[] => [
  card('XTENSION', 'IMAGE', true),
  ...axes(bitpix, n),
  card('PCOUNT', '0'),
  card('GCOUNT', '1'),
  card('EXTNAME', name, true),
];

/** Rubin's stamp layout (as in the real Fink file): the image (nJy), its per-pixel UNCERT, and the PSFIMAGE. */
function fits(pixels: Float32Array, sigma: number, psf: Float64Array, ra: number, dec: number): Uint8Array {
  const image = hdu([card('SIMPLE', 'T'), ...axes(-32, N), card('EXTEND', 'T'), card('BUNIT', 'nJy', true), ...wcs(ra, dec)], pixels, -32);
  const uncert = hdu([...extension('UNCERT', -32, N), card('BUNIT', 'nJy', true), ...wcs(ra, dec)], new Float32Array(N * N).fill(sigma), -32);
  const psfHdu = hdu(extension('PSFIMAGE', -64, PSF_SIZE), psf, -64);
  const out = new Uint8Array(image.length + uncert.length + psfHdu.length);
  out.set(image, 0);
  out.set(uncert, image.length);
  out.set(psfHdu, image.length + uncert.length);
  return out;
}

export const PSF_SIZE = 41;

/** The PSF model image: a unit-sum Gaussian of the visit's FWHM. */
function psfImage(fwhm: number): Float64Array {
  const s = fwhm / 2.3548;
  const c = (PSF_SIZE - 1) / 2;
  const img = new Float64Array(PSF_SIZE * PSF_SIZE);
  for (let y = 0; y < PSF_SIZE; y++) for (let x = 0; x < PSF_SIZE; x++) img[y * PSF_SIZE + x] = Math.exp(-((x - c) ** 2 + (y - c) ** 2) / (2 * s * s));
  const sum = img.reduce((a, b) => a + b, 0);
  return img.map((v) => v / sum);
}

function addPsf(img: Float32Array, flux: number, x0: number, y0: number, fwhm: number): void {
  const s = fwhm / 2.3548;
  const norm = flux / (2 * Math.PI * s * s);
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) img[y * N + x]! += norm * Math.exp(-((x - x0) ** 2 + (y - y0) ** 2) / (2 * s * s));
}

function addDisk(img: Float32Array, flux: number, h: number): void {
  const i0 = flux / (2 * Math.PI * h * h);
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) img[y * N + x]! += i0 * Math.exp(-Math.hypot(x - C - 2, y - C + 1) / h);
}

const NOISE_SIZE = 1 << 14;
let noiseTable: Float32Array | null = null;
function noise(): Float32Array {
  if (!noiseTable) {
    const r = new Rng(0x6c737374);
    noiseTable = Float32Array.from({ length: NOISE_SIZE }, () => r.normal());
  }
  return noiseTable;
}

function addNoise(img: Float32Array, sigma: number, rng: Rng): void {
  const table = noise();
  let k = rng.int(0, NOISE_SIZE - 1);
  const stride = 2 * rng.int(1, 200) + 1;
  for (let i = 0; i < img.length; i++, k = (k + stride) % NOISE_SIZE) img[i]! += sigma * table[k]!;
}

/** The science, template and difference stamps of one alert. */
export function renderStamps(scene: StampScene, rng: Rng): StampTriplet {
  const s = scene.fwhmPix / 2.3548;
  // Pixel noise such that a PSF fit over the stamp has about the alert's flux error.
  const pixSigma = scene.fluxErr / (2 * Math.sqrt(Math.PI) * s);
  const template = new Float32Array(N * N);
  if (scene.extended) addDisk(template, scene.templateFlux, 3);
  else addPsf(template, scene.templateFlux, C, C, scene.fwhmPix);
  addNoise(template, pixSigma * 0.3, rng);
  const diff = new Float32Array(N * N);
  if (scene.artefact === 'dipole') {
    addPsf(diff, Math.abs(scene.diffFlux), C - 1.2, C, scene.fwhmPix);
    addPsf(diff, -Math.abs(scene.diffFlux), C + 1.2, C, scene.fwhmPix);
  } else if (scene.artefact === 'streak') {
    for (let t = -C; t <= C; t += 0.5) addPsf(diff, scene.diffFlux / 15, C + t, C + 0.3 * t, scene.fwhmPix);
  } else addPsf(diff, scene.diffFlux, C, C, scene.fwhmPix);
  addNoise(diff, pixSigma, rng);
  const science = new Float32Array(N * N);
  for (let i = 0; i < N * N; i++) science[i] = template[i]! + diff[i]!;
  // The stored difference is science − template in float32, so the three stamps agree exactly.
  for (let i = 0; i < N * N; i++) diff[i] = Math.fround(science[i]! - template[i]!);
  const psf = psfImage(scene.fwhmPix);
  const { ra, dec } = scene;
  return {
    science: fits(science, pixSigma, psf, ra, dec),
    template: fits(template, pixSigma * 0.3, psf, ra, dec),
    difference: fits(diff, pixSigma * Math.sqrt(1.09), psf, ra, dec),
  };
}
