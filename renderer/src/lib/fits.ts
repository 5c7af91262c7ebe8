/**
 * Cutout decoding for the card: base64 → gunzip → FITS image (core/features/fits.ts, pure) → zscale → 8-bit grey.
 */
import { decodeCutout as decodeFits, zscale, type FitsImage } from '@core/features/fits.js';

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Grey RGBA pixels, flipped so north is up as in the usual viewers (FITS row 0 is the bottom). */
export function toRgba(img: FitsImage): Uint8ClampedArray<ArrayBuffer> {
  let { z1, z2 } = zscale(img.pixels);
  if (!Number.isFinite(z1) || !Number.isFinite(z2) || z2 <= z1) [z1, z2] = [0, 1];
  const out = new Uint8ClampedArray(new ArrayBuffer(img.width * img.height * 4));
  const span = z2 - z1;
  for (let y = 0; y < img.height; y++) {
    const src = (img.height - 1 - y) * img.width;
    for (let x = 0; x < img.width; x++) {
      const v = img.pixels[src + x];
      const g = Number.isFinite(v) ? Math.round(((v - z1) / span) * 255) : 0;
      const o = (y * img.width + x) * 4;
      out[o] = out[o + 1] = out[o + 2] = g;
      out[o + 3] = 255;
    }
  }
  return out;
}

export interface DecodedCutout {
  width: number;
  height: number;
  rgba: Uint8ClampedArray<ArrayBuffer>;
}

export function decodeCutout(b64: string | null): DecodedCutout | { error: string } | null {
  if (!b64) return null;
  try {
    const img = decodeFits(base64ToBytes(b64));
    return { width: img.width, height: img.height, rgba: toRgba(img) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
