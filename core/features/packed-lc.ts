/**
 * An alert's light curve packed as one Float64Array: its history (prv_candidates) then the current epoch, LC_STRIDE
 * numbers per point. Stored as one BLOB per alert and the single input of the light-curve statistics: ingest builds it
 * straight from the reader's typed history columns, without per-point objects or per-point rows.
 */
import type { Alert, LightCurvePoint } from '../alerts/alert.js';
import type { AlertColumns } from '../alerts/columns.js';
import type { HistoryColumns } from '../alerts/history.js';

export const LC_STRIDE = 6;
/** Offsets within a point. magpsf/sigmapsf/diffmaglim: NaN = null. isdiffpos: 1 't', -1 'f', 0 null. */
export const LC_JD = 0;
export const LC_FID = 1;
export const LC_MAG = 2;
export const LC_SIGMA = 3;
export const LC_LIMIT = 4;
export const LC_DIFFPOS = 5;

const num = (v: number | null | undefined): number => (v === null || v === undefined ? NaN : v);
const diffpos = (v: 't' | 'f' | null): number => (v === 't' ? 1 : v === 'f' ? -1 : 0);

/** Write one point's numbers at `at` (NaN for a null; isdiffpos as its code). */
function setPoint(out: Float64Array, at: number, jd: number, fid: number, mag: number, sigma: number, limit: number, dp: number): void {
  out[at + LC_JD] = jd;
  out[at + LC_FID] = fid;
  out[at + LC_MAG] = mag;
  out[at + LC_SIGMA] = sigma;
  out[at + LC_LIMIT] = limit;
  out[at + LC_DIFFPOS] = dp;
}

/** Write one point (a history entry, or the alert itself as its current epoch: same field names). */
function writePoint(out: Float64Array, at: number, p: LightCurvePoint): void {
  setPoint(out, at, p.jd, p.fid, num(p.magpsf), num(p.sigmapsf), num(p.diffmaglim), diffpos(p.isdiffpos));
}

/** From an Alert's history objects (hand-made alerts, tests). */
export function packAlert(a: Alert): Float64Array {
  const h = a.history;
  const out = new Float64Array((h.length + 1) * LC_STRIDE);
  for (let k = 0; k < h.length; k++) writePoint(out, k * LC_STRIDE, h[k]);
  writePoint(out, h.length * LC_STRIDE, a);
  return out;
}

/** Points of row r's packed light curve: its history plus the current epoch. */
export function packedPoints(h: HistoryColumns, r: number): number {
  return h.offsets[r + 1] - h.offsets[r] + 1;
}

/**
 * From the reader's columns: row r of the batch (its history, then its current epoch), written into `out` (at least
 * packedPoints(h, r) * LC_STRIDE long, e.g. one scratch array reused for a whole batch); returns the filled view.
 */
export function packColumnsInto(h: HistoryColumns, r: number, c: AlertColumns, out: Float64Array): Float64Array {
  const start = h.offsets[r];
  const n = h.offsets[r + 1] - start;
  for (let k = 0; k < n; k++) {
    const s = start + k;
    setPoint(out, k * LC_STRIDE, h.jd[s], h.fid[s], h.magpsf[s], h.sigmapsf[s], h.diffmaglim[s], h.isdiffpos[s]);
  }
  setPoint(out, n * LC_STRIDE, c.jd[r], c.fid[r], c.magpsf[r], c.sigmapsf[r], c.diffmaglim[r], c.isdiffpos[r]);
  return out.subarray(0, (n + 1) * LC_STRIDE);
}

const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

/**
 * The union of several packed curves (e.g. every alert of one object), one point per (jd, fid), sorted by jd, up to
 * `maxJd`. A detection wins over an upper limit at the same epoch.
 */
export function mergePacked(curves: readonly Float64Array[], maxJd = Infinity): LightCurvePoint[] {
  const byKey = new Map<string, LightCurvePoint>();
  for (const c of curves) {
    for (let at = 0; at < c.length; at += LC_STRIDE) {
      const jd = c[at + LC_JD];
      if (jd > maxJd + 1e-6) continue;
      const key = `${jd.toFixed(6)}:${c[at + LC_FID]}`;
      const prev = byKey.get(key);
      const mag = orNull(c[at + LC_MAG]);
      if (prev && (prev.magpsf !== null || mag === null)) continue;
      const d = c[at + LC_DIFFPOS];
      byKey.set(key, {
        jd,
        fid: c[at + LC_FID],
        magpsf: mag,
        sigmapsf: orNull(c[at + LC_SIGMA]),
        diffmaglim: orNull(c[at + LC_LIMIT]),
        isdiffpos: d > 0 ? 't' : d < 0 ? 'f' : null,
      });
    }
  }
  return [...byKey.values()].sort((a, b) => a.jd - b.jd || a.fid - b.fid);
}

/**
 * The stored form of a packed light curve (alert_lc.data), format 2: an 8-byte header ('L', 'C', 2, 0, point count
 * as uint32 LE), then per-field runs: jd as float64, magpsf / sigmapsf / diffmaglim as float32, fid as uint8 and
 * isdiffpos as int8. 22 bytes a point instead of 48: ZTF photometry is float32 in the alerts themselves, so only jd
 * needs 64 bits, and the store and its merge write ~30% fewer bytes. (Format 1, before migration 006, was the
 * Float64Array as is.)
 */
const LC_MAGIC = [0x4c, 0x43, 2, 0];
const LC_HEADER = 8;

/** Bytes encodeLc writes for a curve of n points, rounded up to 8 so curves can share one buffer. */
export function encodedLcBytes(points: number): number {
  return (LC_HEADER + 22 * points + 7) & ~7;
}

/**
 * Where the runs of a curve of n points encoded at byteOffset (a multiple of 8) start, as indices into views of the
 * whole buffer: jd in a Float64Array, the three magnitudes in a Float32Array, fid and isdiffpos as bytes.
 */
function lcRuns(byteOffset: number, n: number): { jd: number; mag: number; sigma: number; limit: number; fid: number; dp: number } {
  const base = byteOffset + LC_HEADER;
  const mag = (base + 8 * n) >> 2;
  return { jd: base >> 3, mag, sigma: mag + n, limit: mag + 2 * n, fid: base + 20 * n, dp: base + 21 * n };
}

/** Views of one whole buffer, shared by every curve encoded into (or decoded from) it. */
class LcViews {
  readonly f64: Float64Array;
  readonly f32: Float32Array;
  readonly u8: Uint8Array;
  readonly i8: Int8Array;

  constructor(readonly buf: ArrayBuffer) {
    this.f64 = new Float64Array(buf, 0, buf.byteLength >> 3);
    this.f32 = new Float32Array(buf, 0, buf.byteLength >> 2);
    this.u8 = new Uint8Array(buf);
    this.i8 = new Int8Array(buf);
  }
}

/**
 * Encodes curves into one buffer at byte offsets that are multiples of 8 (encodedLcBytes(points) apart at least):
 * ingest encodes a batch's curves into one allocation. The views span the whole buffer, so encoding a curve makes
 * no typed arrays, only the returned Buffer over its bytes.
 */
export class LcEncoder {
  private readonly v: LcViews;

  constructor(buf: ArrayBuffer) {
    this.v = new LcViews(buf);
  }

  encode(packed: Float64Array, byteOffset: number): Buffer {
    const n = packed.length / LC_STRIDE;
    const { f64, f32, u8, i8, buf } = this.v;
    for (let i = 0; i < 4; i++) u8[byteOffset + i] = LC_MAGIC[i];
    // Point count, uint32 little-endian.
    u8[byteOffset + 4] = n & 0xff;
    u8[byteOffset + 5] = (n >>> 8) & 0xff;
    u8[byteOffset + 6] = (n >>> 16) & 0xff;
    u8[byteOffset + 7] = (n >>> 24) & 0xff;
    const at0 = lcRuns(byteOffset, n);
    for (let k = 0, at = 0; k < n; k++, at += LC_STRIDE) {
      f64[at0.jd + k] = packed[at + LC_JD];
      f32[at0.mag + k] = packed[at + LC_MAG];
      f32[at0.sigma + k] = packed[at + LC_SIGMA];
      f32[at0.limit + k] = packed[at + LC_LIMIT];
      u8[at0.fid + k] = packed[at + LC_FID];
      i8[at0.dp + k] = packed[at + LC_DIFFPOS];
    }
    return Buffer.from(buf, byteOffset, LC_HEADER + 22 * n);
  }
}

export function encodeLc(packed: Float64Array): Buffer {
  const n = packed.length / LC_STRIDE;
  return new LcEncoder(new ArrayBuffer(encodedLcBytes(n))).encode(packed, 0);
}

/** A stored curve back to its packed form. `what` names it in errors (e.g. the alert's candid). */
export function decodeLc(blob: Uint8Array, what = 'light curve'): Float64Array {
  if (blob.length < LC_HEADER || LC_MAGIC.some((b, i) => blob[i] !== b)) {
    const start = Buffer.from(blob.subarray(0, 4)).toString('hex');
    throw new Error(`${what}: not a stored light curve (format 2): ${blob.length} bytes starting ${start}`);
  }
  const n = (blob[4] | (blob[5] << 8) | (blob[6] << 16) | (blob[7] << 24)) >>> 0;
  if (blob.length !== LC_HEADER + 22 * n) {
    throw new Error(`${what}: stored light curve of ${n} points has ${blob.length} bytes, not ${LC_HEADER + 22 * n}`);
  }
  // Copied into an aligned buffer: SQLite's is not guaranteed to be 8-byte aligned.
  const aligned = new Uint8Array(encodedLcBytes(n));
  aligned.set(blob);
  const { f64, f32, u8, i8 } = new LcViews(aligned.buffer);
  const at0 = lcRuns(0, n);
  const out = new Float64Array(n * LC_STRIDE);
  for (let k = 0, at = 0; k < n; k++, at += LC_STRIDE) {
    setPoint(out, at, f64[at0.jd + k], u8[at0.fid + k], f32[at0.mag + k], f32[at0.sigma + k], f32[at0.limit + k], i8[at0.dp + k]);
  }
  return out;
}
