/**
 * data.summary per survey, and `finkvra info`'s survey table, on synthetic ZTF alerts (one of their nights shared
 * with LSST's dayObs) and the 25 real LSST alerts: each count equals one computed here from the fixture's own lists.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { printInfo } from '../../core/cli/commands/info.js';
import type { Db } from '../../core/store/database.js';
import { setLabel } from '../../core/store/labels.js';
import { dataSummary, sourceFiles } from '../../core/store/queries.js';
import { cid, makeStore, type FakeAlert } from '../loop/fixture.js';
import { lsstBatches, mixedOrSkipReason } from '../loop/mixed-store.js';
import { writeLsstFile } from '../../core/store/lsst-alerts.js';

const HAS = mixedOrSkipReason('survey-summary');
const LSST_NIGHT = '2025-12-31';

let db: Db | null = null;
afterEach(() => {
  db?.close();
  db = null;
});

/** 30 ZTF alerts: 3 nights (one is LSST's), objects of 3 alerts, every 7th without a detection. */
const ZTF: FakeAlert[] = Array.from({ length: 30 }, (_, i) => ({
  candid: cid(i),
  objectId: `ZTF25obj${Math.floor(i / 3)}`,
  night: ['2025-12-29', '2025-12-30', LSST_NIGHT][i % 3],
  ndets: i % 7 === 0 ? 0 : 1,
}));

describe.skipIf(!HAS)('per-survey counts of a mixed store', () => {
  it('equal the counts of the fixture lists, night by night and survey by survey', async () => {
    const s = makeStore(ZTF);
    db = s.db;
    const bs = await lsstBatches();
    writeLsstFile(db, { path: 'lsst.parquet', sha256: 'l'.repeat(64), sizeBytes: 1 }, bs);
    const lsstIds = bs.flatMap((b) => [...b.diaSourceId]);
    const lsstObjects = new Set(bs.flatMap((b) => b.diaSourceId.map((_, k) => b.diaObjectId[k] ?? `ss:${b.ssObjectId[k]}`)));
    const ztfLabelled = [cid(1), cid(2), cid(3), cid(7)];
    const lsstLabelled = lsstIds.slice(0, 5);
    for (const c of ztfLabelled) setLabel(db, c, 'gal');
    for (const c of lsstLabelled) setLabel(db, c, 'extragal');
    setLabel(db, lsstIds[5], 'agn');
    setLabel(db, lsstIds[5], null); // cleared: not labelled

    const ztfPool = ZTF.filter((a) => a.ndets > 0 && !ztfLabelled.includes(a.candid)).length;
    const sum = dataSummary(db, s.dbPath);
    expect(sum.surveys).toEqual([
      { survey: 'ztf', alerts: 30, objects: 10, labelled: 4, pool: ztfPool, nights: 3, files: 1 },
      { survey: 'lsst', alerts: 25, objects: lsstObjects.size, labelled: 5, pool: 20, nights: 1, files: 1 },
    ]);
    // The shared night is two rows, one per survey.
    const shared = sum.nights.filter((n) => n.night === LSST_NIGHT);
    expect(shared).toEqual([
      { survey: 'lsst', night: LSST_NIGHT, alerts: 25, pool: 20, labelled: 5 },
      {
        survey: 'ztf',
        night: LSST_NIGHT,
        alerts: 10,
        pool: ZTF.filter((a) => a.night === LSST_NIGHT && a.ndets > 0 && !ztfLabelled.includes(a.candid)).length,
        labelled: ztfLabelled.filter((c) => ZTF.find((a) => a.candid === c)!.night === LSST_NIGHT).length,
      },
    ]);
    // The totals are the sums.
    expect(sum.alerts).toBe(55);
    expect(sum.labelled).toBe(9);

    const out: string[] = [];
    printInfo(dataSummary(db, s.dbPath), sourceFiles(db), (l) => out.push(l));
    expect(out).toContain(`ZTF              30       10         4 ${String(ztfPool).padStart(7)}       3      1`);
    expect(out).toContain(`Rubin/LSST       25 ${String(lsstObjects.size).padStart(8)}         5      20       1      1`);
    expect(out.some((l) => l.startsWith(`${LSST_NIGHT}  Rubin/LSST`))).toBe(true);
  });
});
