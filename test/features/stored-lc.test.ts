import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeLc, encodeLc, LC_STRIDE, packAlert } from '../../core/features/packed-lc.js';
import { alertCard } from '../../core/store/alert-card.js';
import { openStore } from '../../core/store/database.js';
import { vectorToBlob } from '../../core/store/features.js';
import { MIGRATIONS } from '../../core/store/migrations/index.js';
import { makeAlert } from '../helpers/alerts.js';

/** A packed curve with float32-exact photometry (as ZTF's), a negative detection, nulls and all three bands. */
function curve(): Float64Array {
  const f = Math.fround;
  const pts = [
    [2459000.512345678, 1, f(19.53), f(0.101), f(20.7), 1],
    [2459001.25, 2, NaN, NaN, f(20.12), 0],
    [2459002.875, 3, f(18.02), f(0.05), NaN, -1],
    [2460123.000001, 1, f(17.5), f(0.03), f(21.0), 1],
  ];
  return Float64Array.from(pts.flat());
}

describe('stored light curves (format 2)', () => {
  it('round-trip exactly for float32 photometry, with jd kept to 64 bits', () => {
    const c = curve();
    const blob = encodeLc(c);
    expect(blob.length).toBe(8 + 22 * (c.length / LC_STRIDE));
    const back = decodeLc(blob);
    expect([...back]).toEqual([...c]);
    expect(back[18]).toBe(2460123.000001);
    // An unaligned copy (SQLite hands out arbitrary offsets) decodes the same.
    const shifted = Buffer.alloc(blob.length + 3);
    blob.copy(shifted, 3);
    expect([...decodeLc(shifted.subarray(3))]).toEqual([...c]);
    expect([...decodeLc(encodeLc(new Float64Array(0)))]).toEqual([]);
  });

  it('refuses bytes that are not one, saying why', () => {
    expect(() => decodeLc(vectorToBlob(curve()))).toThrow(/not a stored light curve/);
    expect(() => decodeLc(encodeLc(curve()).subarray(0, 30))).toThrow(/4 points has 30 bytes/);
    expect(() => decodeLc(vectorToBlob(curve()), 'alert_lc of candid 12')).toThrow(/^alert_lc of candid 12: /);
  });

  it('migration 006 re-encodes the light curves of an older store; the card shows the same points', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vra-lc-')), 'old.sqlite');
    // A store as version 5 wrote it: Float64 blobs.
    const old = openStore(file, MIGRATIONS.filter((m) => m.version <= 5));
    const a = makeAlert({ candid: '1000000000000000007', objectId: 'ZTF21lcmigr' });
    old.exec("INSERT INTO source_files (path, sha256, size_bytes, ingested_at) VALUES ('/x.parquet', 'aa', 1, 'now')");
    old.prepare(`INSERT INTO alerts (candid, object_id, jd, night, fid, ra, dec, scores_json, source_file_id)
      VALUES (?, ?, ?, '2020-06-01', ?, ?, ?, '{}', 1)`).run(a.candid, a.objectId, a.jd, a.fid, a.ra, a.dec);
    const packed = packAlert(a);
    old.prepare('INSERT INTO alert_lc VALUES (?, ?)').run(a.candid, vectorToBlob(packed));
    old.close();

    const db = openStore(file);
    // Every migration ran, 006 among them.
    expect((db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v).toBe(MIGRATIONS.at(-1)!.version);
    const blob = (db.prepare('SELECT data FROM alert_lc').get() as { data: Buffer }).data;
    const expected = packed.map((v, i) => ([2, 3, 4].includes(i % LC_STRIDE) ? Math.fround(v) : v));
    expect([...decodeLc(blob)]).toEqual([...expected]);
    const lc = alertCard(db, a.candid)!.lightcurve;
    expect(lc.map((p) => [p.jd, p.fid, p.isdiffpos])).toEqual([
      [2459000.5, 1, 't'],
      [2459001.5, 2, null],
      [2459002.75, 2, 't'],
    ]);
    expect(lc[0].magpsf).toBe(Math.fround(19.5));
    expect(lc[1].magpsf).toBeNull();
    db.close();
    // Reopening does not convert again (a format-2 blob re-encoded as if it were format 1 would be garbage).
    const again = openStore(file);
    expect([...decodeLc((again.prepare('SELECT data FROM alert_lc').get() as { data: Buffer }).data)]).toEqual([...expected]);
    again.close();
  });

  it('a migration that fails names the store, the migration and the row, and changes nothing', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vra-lc-')), 'bad.sqlite');
    const old = openStore(file, MIGRATIONS.filter((m) => m.version <= 5));
    old.exec("INSERT INTO source_files (path, sha256, size_bytes, ingested_at) VALUES ('/x.parquet', 'aa', 1, 'now')");
    old.exec(`INSERT INTO alerts (candid, object_id, jd, night, fid, ra, dec, scores_json, source_file_id)
      VALUES ('1000000000000000009', 'ZTF21bad', 2459000.5, '2020-06-01', 1, 1, 1, '{}', 1)`);
    old.prepare('INSERT INTO alert_lc VALUES (?, ?)').run('1000000000000000009', Buffer.alloc(13));
    old.close();
    expect(() => openStore(file)).toThrow(/bad\.sqlite: migration 6 \(lc_float32\) failed: alert_lc of candid 1000000000000000009: 13 bytes/);
    const after = openStore(file, MIGRATIONS.filter((m) => m.version <= 5));
    expect((after.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v).toBe(5);
    expect((after.prepare('SELECT length(data) AS n FROM alert_lc').get() as { n: number }).n).toBe(13);
    after.close();
  });
});
