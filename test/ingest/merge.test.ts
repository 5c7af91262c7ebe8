import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../../core/features/names.js';
import { mergeStaging, recordFailedFile, alreadyIngested } from '../../core/ingest/merge.js';
import { StagingWriter } from '../../core/ingest/staging.js';
import { encodeLc, packAlert } from '../../core/features/packed-lc.js';
import { alertCard } from '../../core/store/alert-card.js';
import { CutoutWriter, ensureCutoutsDir, readCutouts, removeOrphanCutoutFiles } from '../../core/store/cutouts.js';
import { openStore } from '../../core/store/database.js';
import { loadFeatureMatrix } from '../../core/store/features.js';
import { makeAlert } from '../helpers/alerts.js';
import { columnsFromAlerts } from '../../core/alerts/columns.js';

const vec = (x: number): Float64Array => new Float64Array(FEATURE_NAMES.length).fill(x);

function stage(dir: string, name: string, alerts: ReturnType<typeof makeAlert>[], cutouts: string | null = null): StagingWriter {
  const w = new StagingWriter(join(dir, name));
  const c = columnsFromAlerts(alerts);
  if (cutouts && c.cutouts) {
    const cw = new CutoutWriter(cutouts);
    cw.addBatch(c.candid, c.cutouts);
    cw.close();
  }
  const X = new Float64Array(alerts.length * FEATURE_NAMES.length);
  alerts.forEach((_, i) => X.set(vec(i + 1), i * FEATURE_NAMES.length));
  w.writeBatch(c, X, FEATURE_NAMES.length, alerts.map(() => 2), alerts.map((a) => encodeLc(packAlert(a))));
  w.close();
  return w;
}

describe('staging and merge', () => {
  it('merges a staged file and de-duplicates on candid across files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vra-merge-'));
    const db = openStore(join(dir, 's.sqlite'));
    const a = makeAlert({ candid: '1000000000000000001', objectId: 'ZTF21aaaaaaa' });
    const b = makeAlert({ candid: '1000000000000000002', objectId: 'ZTF21aaaaaab' });
    const w1 = stage(dir, 'f1.sqlite', [a, b, a], join(ensureCutoutsDir(db), 'c1.sqlite'));
    expect(w1.rows).toBe(3);
    expect(w1.duplicatesInFile).toBe(1);
    const m1 = await mergeStaging(db, w1.path, { path: '/x/f1.parquet', sha256: 'aa', sizeBytes: 10 }, w1.rows, 'c1.sqlite');
    expect(m1.newAlerts).toBe(2);
    // A second file repeating b and adding c: only c is new; b keeps its first source file.
    const c = makeAlert({ candid: '1000000000000000003', objectId: 'ZTF21aaaaaab', jd: 2459003.8 });
    const w2 = stage(dir, 'f2.sqlite', [b, c]);
    const m2 = await mergeStaging(db, w2.path, { path: '/x/f2.parquet', sha256: 'bb', sizeBytes: 10 }, w2.rows);
    expect(m2.newAlerts).toBe(1);
    const src = db.prepare('SELECT source_file_id AS s FROM alerts WHERE candid = ?').get(b.candid) as { s: number };
    expect(src.s).toBe(m1.sourceFileId);
    expect((db.prepare('SELECT COUNT(*) AS n FROM alerts').get() as { n: number }).n).toBe(3);
    // candid survives exactly (above 2^53).
    const cand = db.prepare('SELECT candid FROM alerts ORDER BY candid').all() as { candid: string }[];
    expect(cand.map((r) => r.candid)).toEqual([a.candid, b.candid, c.candid]);
    // The card's light curve is the union of the object's alerts up to this one: shared history (2) + b + c epochs.
    const lc = alertCard(db, c.candid)!.lightcurve;
    expect(lc.map((p) => p.jd)).toEqual([2459000.5, 2459001.5, 2459002.75, 2459003.8]);
    // Photometry is stored as float32, as ZTF's alerts carry it (this hand-made 20.1 is not a float32 value).
    expect(lc[1]).toMatchObject({ magpsf: null, diffmaglim: Math.fround(20.1), isdiffpos: null });
    expect(alertCard(db, b.candid)!.lightcurve).toHaveLength(3);
    // Features come back in the order asked, with the staged values.
    const m = loadFeatureMatrix(db, { candids: [c.candid, a.candid] });
    expect(m.candids).toEqual([c.candid, a.candid]);
    expect(m.X[0]).toBe(2);
    expect(m.X[m.d]).toBe(1);
    // Cutouts come from the sidecar named by the alert's source file.
    const cut = readCutouts(db, a.candid)!;
    expect([...cut.science!]).toEqual([1, 2, 3]);
    expect(cut.template).toBeNull();
    expect(alreadyIngested(db, 'aa')?.path).toBe('/x/f1.parquet');
    db.close();
  });

  it('a failed merge leaves nothing behind, and a failure is recorded without data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vra-merge-'));
    const db = openStore(join(dir, 's.sqlite'));
    const w = stage(dir, 'f.sqlite', [makeAlert()]);
    // Sabotage the staging file so the merge fails half-way (the feature vectors missing).
    const s = new Database(w.path);
    s.exec('ALTER TABLE staged DROP COLUMN vector');
    s.close();
    await expect(mergeStaging(db, w.path, { path: '/x/bad.parquet', sha256: 'cc', sizeBytes: 1 }, 1)).rejects.toThrow();
    expect((db.prepare('SELECT COUNT(*) AS n FROM alerts').get() as { n: number }).n).toBe(0);
    expect((db.prepare('SELECT COUNT(*) AS n FROM source_files').get() as { n: number }).n).toBe(0);
    recordFailedFile(db, { path: '/x/bad.parquet', sha256: 'cc', sizeBytes: 1 }, '/x/bad.parquet: broken');
    expect(alreadyIngested(db, 'cc')).toBeUndefined();
    const row = db.prepare('SELECT error FROM source_files').get() as { error: string };
    expect(row.error).toContain('bad.parquet');
    // A sidecar no committed row names (a crash between writing cutouts and the merge) is removed.
    const orphan = new CutoutWriter(join(ensureCutoutsDir(db), 'orphan.sqlite'));
    orphan.close();
    expect(removeOrphanCutoutFiles(db)).toBe(1);
    db.close();
  });
});
