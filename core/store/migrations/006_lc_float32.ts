import { blobToVector } from '../features.js';
import { encodeLc } from '../../features/packed-lc.js';
import type { Migration } from '../migration.js';

/** Rows re-encoded per statement, so a large store is converted without holding all its light curves in memory. */
const CHUNK = 5000;

/**
 * Light curves in the stored format 2 (packed-lc.ts encodeLc: float32 photometry, ~55% smaller). Format 1 blobs (a
 * Float64Array as is) are re-encoded; ZTF photometry is float32 in the alerts, so nothing is lost.
 */
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
        update.run(encodeLc(blobToVector(r.data)), r.id);
      }
      last = rows[rows.length - 1].id;
    }
  },
};
