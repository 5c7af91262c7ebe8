import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeLc, LC_STRIDE } from '../../core/features/packed-lc.js';
import { openStore } from '../../core/store/database.js';
import { blobToVector, vectorToBlob } from '../../core/store/features.js';
import { MIGRATIONS } from '../../core/store/migrations/index.js';

/** A seeded format-1 curve of n points: float64 jd, float32-exact photometry, NaN nulls, all isdiffpos codes. */
function curve(n: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const out = new Float64Array(n * LC_STRIDE);
  for (let k = 0; k < n; k++) {
    const at = k * LC_STRIDE;
    out.set([2458000 + rnd() * 3000, 1 + Math.floor(rnd() * 3), rnd() < 0.2 ? NaN : 14 + rnd() * 8, rnd() < 0.2 ? NaN : rnd() / 3,
      rnd() < 0.1 ? NaN : 19 + rnd() * 3, Math.floor(rnd() * 3) - 1], at);
  }
  return out;
}

describe('migration 006 (frozen copy of the format-2 encoder)', () => {
  it('writes byte for byte what the live encoder writes, over more rows than one chunk', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vra-m006-')), 'v5.sqlite');
    const old = openStore(file, MIGRATIONS.filter((m) => m.version <= 5));
    old.exec("INSERT INTO source_files (path, sha256, size_bytes, ingested_at) VALUES ('/x.parquet', 'aa', 1, 'now')");
    const alert = old.prepare(`INSERT INTO alerts (candid, object_id, jd, night, fid, ra, dec, scores_json, source_file_id)
      VALUES (?, ?, 2459000.5, '2020-06-01', 1, 1, 1, '{}', 1)`);
    const lc = old.prepare('INSERT INTO alert_lc VALUES (?, ?)');
    const before = new Map<string, Buffer>();
    old.transaction(() => {
      // 5003 rows cross the migration's 5000-row pages; 0-point and 300-point curves are the edges, and a blob of 7
      // doubles (not whole points) must come out as the old code wrote it too.
      for (let i = 0; i < 5003; i++) {
        const candid = String(1000000000000000000n + BigInt(i));
        const values = curve(i === 7 ? 0 : i === 8 ? 300 : 1 + (i % 40), i);
        const blob = vectorToBlob(i === 9 ? values.subarray(0, 7) : values);
        alert.run(candid, `ZTF20m${i}`);
        lc.run(candid, blob);
        before.set(candid, blob);
      }
    })();
    old.close();

    const db = openStore(file);
    const rows = db.prepare('SELECT candid, data FROM alert_lc').all() as { candid: string; data: Buffer }[];
    db.close();
    expect(rows).toHaveLength(before.size);
    let differing = 0;
    for (const r of rows) if (!r.data.equals(encodeLc(blobToVector(before.get(r.candid)!)))) differing++;
    expect(differing).toBe(0);
    // The check compares something: format 2 is not format 1.
    expect(rows[0].data.equals(before.get(rows[0].candid)!)).toBe(false);
  });
});
