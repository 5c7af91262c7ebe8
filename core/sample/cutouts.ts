/**
 * 63×63 cutout triplets (science, template, difference) as gzip-compressed FITS, like ZTF's stamps: a Gaussian PSF
 * for the transient, an optional star (variables) or an exponential-disk host at an offset (extragalactic), sky
 * noise (the template being a deeper stack, so less noisy), and artefacts for bogus alerts.
 */
import { gzipSync } from 'node:zlib';
import { fitsImage } from './fits.js';
import { Rng } from './rng.js';

export const CUTOUT_SIZE = 63;

export interface CutoutScene {
  /** Seeing FWHM in pixels (ZTF: ~1.01″/pixel). */
  fwhmPix: number;
  /** Difference flux of the candidate in DN (negative for isdiffpos 'f'). */
  diffCounts: number;
  /** A point source at the centre present in the template (a variable star's quiescent flux), DN. */
  starCounts: number;
  /** Host galaxy: total DN, offset from the centre in pixels, disk scale length in pixels. 0 counts = no host. */
  hostCounts: number;
  hostDx: number;
  hostDy: number;
  hostScale: number;
  artefact: 'none' | 'dipole' | 'cosmic' | 'streak';
}

export interface CutoutTriplet {
  science: Uint8Array;
  template: Uint8Array;
  difference: Uint8Array;
}

const N = CUTOUT_SIZE;
const C = (N - 1) / 2;

function addPsf(img: Float32Array, counts: number, x0: number, y0: number, fwhm: number): void {
  if (counts === 0) return;
  const s = fwhm / 2.3548;
  const norm = counts / (2 * Math.PI * s * s);
  const r = Math.ceil(4 * s);
  for (let y = Math.max(0, Math.floor(y0 - r)); y <= Math.min(N - 1, Math.ceil(y0 + r)); y++)
    for (let x = Math.max(0, Math.floor(x0 - r)); x <= Math.min(N - 1, Math.ceil(x0 + r)); x++) {
      const d2 = (x - x0) ** 2 + (y - y0) ** 2;
      img[y * N + x]! += norm * Math.exp(-d2 / (2 * s * s));
    }
}

function addDisk(img: Float32Array, counts: number, x0: number, y0: number, h: number): void {
  if (counts === 0) return;
  const i0 = counts / (2 * Math.PI * h * h);
  for (let y = 0; y < N; y++)
    for (let x = 0; x < N; x++) img[y * N + x]! += i0 * Math.exp(-Math.hypot(x - x0, y - y0) / h);
}

function gz(pixels: Float32Array): Uint8Array {
  // Level 1: noisy float32 barely compresses better at higher levels (ZTF's own stamps are ~12–15 kB) and it is
  // 3–4× faster, which keeps the sample night under a few seconds.
  return new Uint8Array(gzipSync(fitsImage(pixels, N, N), { level: 1 }));
}

/**
 * Sky noise comes from a fixed table of standard normals read at a random offset and odd stride: two Gaussian
 * draws per pixel per stamp were a third of the sample night's generation time, and nobody can tell the pattern
 * of one 63×63 stamp from another's.
 */
const NOISE_SIZE = 1 << 16;
let noiseTable: Float32Array | null = null;

function noiseSource(): Float32Array {
  if (!noiseTable) {
    const r = new Rng(0x6e6f6973);
    noiseTable = new Float32Array(NOISE_SIZE);
    for (let i = 0; i < NOISE_SIZE; i++) noiseTable[i] = r.normal();
  }
  return noiseTable;
}

/** Render one triplet. `noise` false gives smooth, highly compressible images (the 'small' mode). */
export function renderCutouts(scene: CutoutScene, rng: Rng, noise = true): CutoutTriplet {
  const sky = 150 + 250 * rng.next();
  const sigSci = noise ? 4 + 4 * rng.next() : 0;
  const sigRef = sigSci / 3;
  const model = new Float32Array(N * N);
  addPsf(model, scene.starCounts, C, C, scene.fwhmPix * 0.9);
  addDisk(model, scene.hostCounts, C + scene.hostDx, C + scene.hostDy, scene.hostScale);
  const diff = new Float32Array(N * N);
  addPsf(diff, scene.diffCounts, C, C, scene.fwhmPix);
  const amp = Math.max(Math.abs(scene.diffCounts), 200);
  if (scene.artefact === 'dipole') {
    addPsf(diff, amp * 0.8, C - 1.2, C, scene.fwhmPix * 0.8);
    addPsf(diff, -amp * 0.8, C + 1.2, C, scene.fwhmPix * 0.8);
  } else if (scene.artefact === 'cosmic') {
    diff[C * N + C]! += amp * 0.6;
    diff[C * N + C + 1]! += amp * 0.3;
  } else if (scene.artefact === 'streak') {
    for (let x = 0; x < N; x++) addPsf(diff, amp / 20, x, C + (x - C) * 0.3, 1.5);
  }
  const science = new Float32Array(N * N);
  const template = new Float32Array(N * N);
  const difference = new Float32Array(N * N);
  const table = noiseSource();
  const mask = NOISE_SIZE - 1;
  let ks = noise ? rng.int(0, mask) : 0;
  let kr = noise ? rng.int(0, mask) : 0;
  const step = noise ? 2 * rng.int(0, 1023) + 1 : 1;
  for (let i = 0; i < N * N; i++) {
    const ns = noise ? sigSci * table[(ks = (ks + step) & mask)]! : 0;
    const nr = noise ? sigRef * table[(kr = (kr + step) & mask)]! : 0;
    template[i] = sky + model[i]! + nr;
    science[i] = sky + model[i]! + diff[i]! + ns;
    difference[i] = diff[i]! + ns - nr;
  }
  return { science: gz(science), template: gz(template), difference: gz(difference) };
}
