/**
 * LSST stamps as Fink stores them: uncompressed FITS (BITPIX −32, 30×30 pixels, BUNIT nJy, a TAN WCS centred on the
 * source). Science − template = difference, exactly (as float32). Noise comes from a fixed table of normals read at
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

function header(ra: number, dec: number): string {
  return [
    card('SIMPLE', 'T'),
    card('BITPIX', '-32'),
    card('NAXIS', '2'),
    card('NAXIS1', String(N)),
    card('NAXIS2', String(N)),
    card('EXTEND', 'T'),
    card('BUNIT', 'nJy', true),
    card('WCSAXES', '2'),
    card('CTYPE1', 'RA---TAN', true),
    card('CTYPE2', 'DEC--TAN', true),
    card('CRPIX1', (C + 1).toFixed(1)),
    card('CRPIX2', (C + 1).toFixed(1)),
    card('CD1_1', (-PIXEL_DEG).toExponential(10)),
    card('CD2_2', PIXEL_DEG.toExponential(10)),
    card('CRVAL1', ra.toFixed(10)),
    card('CRVAL2', dec.toFixed(10)),
    'END'.padEnd(80),
  ].join('');
}

function fits(pixels: Float32Array, ra: number, dec: number): Uint8Array {
  const head = header(ra, dec);
  const headBytes = Math.ceil(head.length / BLOCK) * BLOCK;
  const out = new Uint8Array(headBytes + Math.ceil((N * N * 4) / BLOCK) * BLOCK);
  out.fill(0x20, 0, headBytes);
  for (let i = 0; i < head.length; i++) out[i] = head.charCodeAt(i);
  const view = new DataView(out.buffer, headBytes);
  for (let i = 0; i < N * N; i++) view.setFloat32(i * 4, pixels[i]!, false);
  return out;
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
  return { science: fits(science, scene.ra, scene.dec), template: fits(template, scene.ra, scene.dec), difference: fits(diff, scene.ra, scene.dec) };
}
