/**
 * Cutout decoding for the card: base64 → gunzip → FITS image → zscale → 8-bit grey.
 * SEAM: core/features/fits.ts (pure FITS reader + gunzipFits + zscale, by the features engineer) is the shared
 * implementation; until it lands this small reader covers the 2-D images ZTF cutouts are (BITPIX -32/-64/8/16/32).
 */
import { gunzipSync } from 'fflate';

export interface FitsImage {
  width: number;
  height: number;
  /** Row-major, FITS order (row 0 = bottom of the picture). NaN for blank pixels. */
  data: Float64Array;
}

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function gunzipMaybe(bytes: Uint8Array): Uint8Array {
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
}

export function readFitsImage(bytes: Uint8Array): FitsImage {
  const cards = new Map<string, string>();
  let offset = 0;
  let ended = false;
  const dec = new TextDecoder('ascii');
  while (!ended && offset + 2880 <= bytes.length) {
    const block = dec.decode(bytes.subarray(offset, offset + 2880));
    offset += 2880;
    for (let i = 0; i < 36; i++) {
      const card = block.slice(i * 80, i * 80 + 80);
      const key = card.slice(0, 8).trim();
      if (key === 'END') {
        ended = true;
        break;
      }
      if (card[8] === '=') cards.set(key, card.slice(10).split('/')[0].trim().replace(/^'|'$/g, ''));
    }
  }
  if (!ended) throw new Error('FITS header has no END card');
  const bitpix = Number(cards.get('BITPIX'));
  const width = Number(cards.get('NAXIS1'));
  const height = Number(cards.get('NAXIS2'));
  const bzero = Number(cards.get('BZERO') ?? 0);
  const bscale = Number(cards.get('BSCALE') ?? 1);
  if (!(width > 0 && height > 0)) throw new Error('FITS image has no NAXIS1/NAXIS2');
  const n = width * height;
  const bytesPer = Math.abs(bitpix) / 8;
  if (offset + n * bytesPer > bytes.length) throw new Error('FITS data is truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, n * bytesPer);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v: number;
    switch (bitpix) {
      case -32: v = view.getFloat32(i * 4, false); break;
      case -64: v = view.getFloat64(i * 8, false); break;
      case 8: v = view.getUint8(i); break;
      case 16: v = view.getInt16(i * 2, false); break;
      case 32: v = view.getInt32(i * 4, false); break;
      default: throw new Error(`unsupported BITPIX ${bitpix}`);
    }
    data[i] = v * bscale + bzero;
  }
  return { width, height, data };
}

/** IRAF-like zscale: a line fitted to the sorted sample with sigma clipping, slope divided by the contrast. */
export function zscale(data: ArrayLike<number>, contrast = 0.25, maxSamples = 1000): [number, number] {
  const finite: number[] = [];
  const step = Math.max(1, Math.floor(data.length / maxSamples));
  for (let i = 0; i < data.length; i += step) if (Number.isFinite(data[i])) finite.push(data[i]);
  if (finite.length === 0) return [0, 1];
  finite.sort((a, b) => a - b);
  const n = finite.length;
  const lo = finite[0];
  const hi = finite[n - 1];
  const median = n % 2 ? finite[(n - 1) / 2] : (finite[n / 2 - 1] + finite[n / 2]) / 2;
  if (n < 5) return [lo, hi === lo ? lo + 1 : hi];
  let keep = finite.map(() => true);
  let slope = 0;
  let intercept = median;
  for (let iter = 0; iter < 5; iter++) {
    let sx = 0, sy = 0, sxx = 0, sxy = 0, m = 0;
    for (let i = 0; i < n; i++) {
      if (!keep[i]) continue;
      sx += i; sy += finite[i]; sxx += i * i; sxy += i * finite[i]; m++;
    }
    if (m < n / 2) break;
    const den = m * sxx - sx * sx;
    slope = den === 0 ? 0 : (m * sxy - sx * sy) / den;
    intercept = (sy - slope * sx) / m;
    let ss = 0;
    for (let i = 0; i < n; i++) if (keep[i]) ss += (finite[i] - (intercept + slope * i)) ** 2;
    const sigma = Math.sqrt(ss / m);
    const next = finite.map((v, i) => Math.abs(v - (intercept + slope * i)) <= 2.5 * sigma);
    if (next.every((k, i) => k === keep[i])) break;
    keep = next;
  }
  const center = (n - 1) / 2;
  let z1 = Math.max(lo, median - (slope / contrast) * center);
  let z2 = Math.min(hi, median + (slope / contrast) * center);
  if (!(z2 > z1)) [z1, z2] = [lo, hi > lo ? hi : lo + 1];
  return [z1, z2];
}

/** Grey RGBA pixels, flipped so north is up as in the usual viewers (FITS row 0 is the bottom). */
export function toRgba(img: FitsImage): Uint8ClampedArray<ArrayBuffer> {
  const [z1, z2] = zscale(img.data);
  const out = new Uint8ClampedArray(new ArrayBuffer(img.width * img.height * 4));
  const span = z2 - z1 || 1;
  for (let y = 0; y < img.height; y++) {
    const src = (img.height - 1 - y) * img.width;
    for (let x = 0; x < img.width; x++) {
      const v = img.data[src + x];
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
    const img = readFitsImage(gunzipMaybe(base64ToBytes(b64)));
    return { width: img.width, height: img.height, rgba: toRgba(img) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
