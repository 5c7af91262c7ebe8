/**
 * Weak labels in a store holding ZTF and the 25 real LSST alerts (core/weak/lsst.ts): the ZTF derivation sees only
 * ZTF alerts, the LSST alerts get no label (their files carry no Fink crossmatch column) and the solar-system ones
 * are counted as left out; `labels weak` says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWeak } from '../../core/cli/commands/weak.js';
import type { Db } from '../../core/store/database.js';
import { weakLabels } from '../../core/store/labels.js';
import type { LsstBatch } from '../../core/surveys/lsst/batch.js';
import { deriveWeakLabels, storeWeakLabels } from '../../core/weak/derive.js';
import { weakRowsBySurvey } from '../../core/weak/lsst.js';
import { cliRunner } from '../helpers/cli.js';
import { addRealLsst, lsstDataOrSkipReason } from '../helpers/lsst-store.js';
import { makeStore, separableAlerts } from '../loop/fixture.js';

const HAS = lsstDataOrSkipReason('weak-lsst');

describe.skipIf(!HAS)('weak labels with LSST alerts in the store', () => {
  let db: Db;
  let dbPath: string;
  let dir: string;
  let b: LsstBatch;
  beforeAll(async () => {
    ({ db, dbPath, dir } = makeStore(separableAlerts(6)));
    db.prepare("UPDATE alerts SET cdsxmatch = 'RRLyr' WHERE candid = (SELECT MIN(candid) FROM alerts)").run();
    [b] = await addRealLsst(db);
  });
  afterAll(() => db.close());

  it('derives ZTF labels from the ZTF alerts only, and counts the LSST ones apart', () => {
    const { ztf, lsst } = weakRowsBySurvey(db);
    expect(ztf.length).toBe(6);
    const ss = b.ssObjectId.filter((x) => x !== null).length;
    expect(ss).toBe(3);
    expect(lsst).toEqual({ alerts: 25, solarSystem: ss, labelled: 0 });
    const d = deriveWeakLabels(ztf);
    expect(d.alerts).toBe(6);
    expect(d.verdictCounts.cdsxmatch).toMatchObject({ varstar: 1, none: 5 });
    const r = storeWeakLabels(db, d, ztf);
    expect(r.written.cdsxmatch).toBe(1);
    const lsstIds = new Set(b.diaSourceId);
    for (const col of ['cdsxmatch', 'tnsclass', 'finkclass']) for (const c of weakLabels(db, col).keys()) expect(lsstIds.has(c)).toBe(false);
  });

  it('says in the command output what happened to the LSST alerts', async () => {
    const run = cliRunner(dbPath, dir, registerWeak);
    const out = await run('labels', 'weak', '--dry-run');
    expect(out).toMatch(/^6 alert\(s\); 0 left out/m);
    expect(out).toContain('25 Rubin/LSST alert(s): 3 matched a known solar-system object (left out, as roid = 3 is for ZTF)');
    expect(out).toMatch(/no weak label for LSST alerts: their files carry no Fink crossmatch or classification column/);
  });
});
