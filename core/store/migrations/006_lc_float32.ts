import type { Migration } from '../migration.js';

/**
 * Light curves in the stored format 2 (float32 photometry, ~55% smaller). Format 1 blobs (a Float64Array as is) are
 * re-encoded; ZTF photometry is float32 in the alerts, so nothing is lost. Frozen: the format-2 encoder is inlined
 * here as it was when this migration was written, so later changes to the live one (core/features/packed-lc.ts)
 * cannot change what this migration writes.
 */

/** Rows re-encoded per statement, so a large store is converted without holding all its light curves in memory. */
const CHUNK = 5000;

/** Format 1: per point jd, fid, magpsf, sigmapsf, diffmaglim, isdiffpos (NaN = null; isdiffpos 1 / -1 / 0). */
const STRIDE = 6;
const MAGIC = [0x4c, 0x43, 2, 0];
const HEADER = 8;

/** A format-1 blob as its Float64Array (copied: SQLite's buffer is not guaranteed to be 8-byte aligned). */
function format1(b: Buffer): Float64Array {
  const out = new Float64Array(b.byteLength / 8);
  new Uint8Array(out.buffer).set(b);
  return out;
}

/**
 * Format 2: 'L', 'C', 2, 0, the point count as uint32 LE, then runs of jd (float64), magpsf, sigmapsf, diffmaglim
 * (float32), fid (uint8) and isdiffpos (int8); 22 bytes a point.
 */
function format2(packed: Float64Array): Buffer {
  const n = packed.length / STRIDE;
  const buf = new ArrayBuffer((HEADER + 22 * n + 7) & ~7);
  const f64 = new Float64Array(buf, 0, buf.byteLength >> 3);
  const f32 = new Float32Array(buf, 0, buf.byteLength >> 2);
  const u8 = new Uint8Array(buf);
  const i8 = new Int8Array(buf);
  for (let i = 0; i < 4; i++) u8[i] = MAGIC[i];
  u8[4] = n & 0xff;
  u8[5] = (n >>> 8) & 0xff;
  u8[6] = (n >>> 16) & 0xff;
  u8[7] = (n >>> 24) & 0xff;
  const jd = HEADER >> 3;
  const mag = (HEADER + 8 * n) >> 2;
  const fid = HEADER + 20 * n;
  const dp = HEADER + 21 * n;
  for (let k = 0, at = 0; k < n; k++, at += STRIDE) {
    f64[jd + k] = packed[at];
    f32[mag + k] = packed[at + 2];
    f32[mag + n + k] = packed[at + 3];
    f32[mag + 2 * n + k] = packed[at + 4];
    u8[fid + k] = packed[at + 1];
    i8[dp + k] = packed[at + 5];
  }
  return Buffer.from(buf, 0, HEADER + 22 * n);
}

export const migration: Migration = {
  version: 6,
  name: 'lc_float32',
  up: '',
  run(db) {
    const page = db.prepare('SELECT rowid AS id, candid, data FROM alert_lc WHERE rowid > ? ORDER BY rowid LIMIT ?');
    const update = db.prepare('UPDATE alert_lc SET data = ? WHERE rowid = ?');
    for (let last = 0; ; ) {
      const rows = page.all(last, CHUNK) as { id: number; candid: string; data: Buffer }[];
      if (rows.length === 0) break;
      for (const r of rows) {
        if (r.data.length % 8 !== 0) throw new Error(`alert_lc of candid ${r.candid}: ${r.data.length} bytes is not a Float64 light curve`);
        update.run(format2(format1(r.data)), r.id);
      }
      last = rows[rows.length - 1].id;
    }
  },
};
