/**
 * An LSST alert's light curve as stored (alert_lc.data for LSST alerts): its previous diaSources, the triggering
 * diaSource, its forced photometry and (7.x) non-detection limits, in file order. Format: an 8-byte header ('L', 'S',
 * 1, 0, point count as uint32 LE), then per-field runs: midpointMjdTai as float64, flux and flux error (nJy) as
 * float32 (as Rubin sends them), band as uint8 (index into ugrizy, 255 unknown) and kind as uint8 (LsstPointKind).
 * 18 bytes a point. The header differs from ZTF's ('L', 'C', 2, 0), so a blob of the wrong survey is refused.
 */
import { LSST_BANDS } from './schema.js';

export const LSST_LC_KINDS = ['detection', 'forced', 'limit'] as const;
export type LsstPointKind = (typeof LSST_LC_KINDS)[number];

/** One stored point. For a 'limit' point, flux is NaN and fluxErr the difference image's noise (diaNoise). */
export interface LsstStoredPoint {
  mjd: number;
  band: string | null;
  flux: number;
  fluxErr: number;
  kind: LsstPointKind;
}

const MAGIC = [0x4c, 0x53, 1, 0];
const HEADER = 8;
const BYTES_PER_POINT = 18;
const NO_BAND = 255;
const BAND_CODE = new Map<string, number>(LSST_BANDS.map((b, i) => [b, i]));

export function encodeLsstLc(points: readonly LsstStoredPoint[]): Buffer {
  const n = points.length;
  // Runs in order f64, f32, f32, u8, u8: each run starts aligned for its type when the header is 8 bytes.
  const buf = new ArrayBuffer((HEADER + BYTES_PER_POINT * n + 7) & ~7);
  const u8 = new Uint8Array(buf);
  MAGIC.forEach((b, i) => (u8[i] = b));
  new DataView(buf).setUint32(4, n, true);
  const mjd = new Float64Array(buf, HEADER, n);
  const flux = new Float32Array(buf, HEADER + 8 * n, n);
  const err = new Float32Array(buf, HEADER + 12 * n, n);
  const band = new Uint8Array(buf, HEADER + 16 * n, n);
  const kind = new Uint8Array(buf, HEADER + 17 * n, n);
  points.forEach((p, k) => {
    mjd[k] = p.mjd;
    flux[k] = p.flux;
    err[k] = p.fluxErr;
    band[k] = p.band === null ? NO_BAND : (BAND_CODE.get(p.band) ?? NO_BAND);
    kind[k] = LSST_LC_KINDS.indexOf(p.kind);
  });
  return Buffer.from(buf, 0, HEADER + BYTES_PER_POINT * n);
}

/** True when the blob is an LSST light curve (its header), without decoding it. */
export function isLsstLc(blob: Uint8Array): boolean {
  return blob.length >= HEADER && MAGIC.every((b, i) => blob[i] === b);
}

/** A stored LSST curve back to points. `what` names it in errors (e.g. the alert's diaSourceId). */
export function decodeLsstLc(blob: Uint8Array, what = 'LSST light curve'): LsstStoredPoint[] {
  if (!isLsstLc(blob)) {
    const start = Buffer.from(blob.subarray(0, 4)).toString('hex');
    throw new Error(`${what}: not a stored LSST light curve: ${blob.length} bytes starting ${start}`);
  }
  const n = new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getUint32(4, true);
  if (blob.length !== HEADER + BYTES_PER_POINT * n) {
    throw new Error(`${what}: stored LSST light curve of ${n} points has ${blob.length} bytes, not ${HEADER + BYTES_PER_POINT * n}`);
  }
  // Copied into an aligned buffer: SQLite's is not guaranteed to be 8-byte aligned.
  const aligned = new Uint8Array((HEADER + BYTES_PER_POINT * n + 7) & ~7);
  aligned.set(blob);
  const buf = aligned.buffer;
  const mjd = new Float64Array(buf, HEADER, n);
  const flux = new Float32Array(buf, HEADER + 8 * n, n);
  const err = new Float32Array(buf, HEADER + 12 * n, n);
  const band = new Uint8Array(buf, HEADER + 16 * n, n);
  const kind = new Uint8Array(buf, HEADER + 17 * n, n);
  return Array.from({ length: n }, (_, k) => ({
    mjd: mjd[k],
    band: band[k] === NO_BAND ? null : (LSST_BANDS[band[k]] ?? null),
    flux: flux[k],
    fluxErr: err[k],
    kind: LSST_LC_KINDS[kind[k]] ?? 'detection',
  }));
}
