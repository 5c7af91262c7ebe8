/**
 * A round belongs to one survey and one feature set, recorded with it (migration 010): an LSST round whose pool was
 * empty (no proposals to tell its survey by) is still the LSST loop's latest round, and never the ZTF loop's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { recordRound } from '../../core/loop/rounds.js';
import { latestRoundOf } from '../../core/loop/state.js';
import type { Db } from '../../core/store/database.js';
import { join } from 'node:path';
import { openStore } from '../../core/store/database.js';
import { writeLsstFile } from '../../core/store/lsst-alerts.js';
import { MIGRATIONS } from '../../core/store/migrations/index.js';
import { cid, makeStore, separableAlerts, tempDir } from './fixture.js';
import { lsstBatches, mixedOrSkipReason } from './mixed-store.js';

let db: Db | null = null;
afterEach(() => db?.close());

const base = { task: 'gal' as const, strategy: 'least_confidence', runId: null, night: null, nTrain: 10, warnings: [] };

describe('the survey of a round', () => {
  it('is recorded: an LSST round without proposals is the LSST loop’s, not the ZTF loop’s', () => {
    db = makeStore(separableAlerts(10)).db;
    const ztf = recordRound(db, { ...base, round: 0, proposals: [{ candid: cid(1), prob: null, score: null, reason: 'r' }] });
    expect(ztf).toMatchObject({ survey: 'ztf' });
    const lsst = recordRound(db, { ...base, round: 1, proposals: [], survey: 'lsst', featureSet: 'lsst' });
    expect(lsst).toMatchObject({ survey: 'lsst', featureSet: 'lsst' });
    expect(latestRoundOf(db, 'gal', 'lsst')?.id).toBe(lsst.id);
    expect(latestRoundOf(db, 'gal', 'ztf')?.id).toBe(ztf.id);
  });
});

describe.skipIf(!mixedOrSkipReason('round survey migration'))('migration 010 on a store written before it', () => {
  it('gives each round the survey of its proposals (ZTF without any) and the feature set its run logged', async () => {
    const dir = tempDir('finkvra-m010-');
    const path = join(dir, 'store.sqlite');
    const old = openStore(path, MIGRATIONS.slice(0, 9));
    writeLsstFile(old, { path: 'lsst.parquet', sha256: 'a'.repeat(64), sizeBytes: 1 }, await lsstBatches());
    const lsst = old.prepare("SELECT candid FROM alerts WHERE survey = 'lsst' LIMIT 2").pluck().all() as string[];
    const ins = old.prepare("INSERT INTO rounds (task, round, strategy, night, n_train, warnings_json, created_at) VALUES ('gal', ?, 'random', NULL, 0, '[]', 'now')");
    const r0 = Number(ins.run(0).lastInsertRowid);
    const r1 = Number(ins.run(1).lastInsertRowid);
    lsst.forEach((c, k) => old.prepare("INSERT INTO proposals (round_id, candid, rank, reason) VALUES (?, ?, ?, 'r')").run(r1, c, k + 1));
    old.close();
    db = openStore(path);
    const rows = db.prepare('SELECT id, survey, feature_set FROM rounds ORDER BY id').all();
    expect(rows).toEqual([
      { id: r0, survey: 'ztf', feature_set: null },
      { id: r1, survey: 'lsst', feature_set: null },
    ]);
    expect(latestRoundOf(db, 'gal', 'lsst')?.id).toBe(r1);
    expect(latestRoundOf(db, 'gal', 'ztf')?.id).toBe(r0);
  });
});
