/**
 * The running count of counted labels per survey, against a recount from the label map and each alert's survey,
 * including a label written before its alert was ingested (it counts for every survey until the ingest says whose).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLASS_MAPS, LABELS } from '../../core/labels.js';
import { countedLabels } from '../../core/loop/pool.js';
import type { Db } from '../../core/store/database.js';
import { tallyLabelledAs } from '../../core/store/label-tally.js';
import { importLabelsCsv, labelMap, setLabel } from '../../core/store/labels.js';
import type { SurveyId } from '../../core/surveys/survey.js';
import { cid, makeStore } from './fixture.js';
import { addRealLsst, lsstBatches, mixedOrSkipReason } from './mixed-store.js';

const HAS = mixedOrSkipReason('label-tally-survey');
let db: Db | null = null;
afterEach(() => {
  db?.close();
  db = null;
});

const gal = LABELS.filter((l) => DEFAULT_CLASS_MAPS.gal[l] !== null);

/** Counted labels whose alert is of the survey or not ingested, recounted from scratch. */
function recount(d: Db, survey: SurveyId): number {
  const surveyOf = d.prepare('SELECT survey FROM alerts WHERE candid = ?').pluck();
  const counted = countedLabels(labelMap(d), DEFAULT_CLASS_MAPS.gal);
  return [...counted.keys()].filter((c) => {
    const s = surveyOf.get(c) as string | undefined;
    return s === undefined || s === survey;
  }).length;
}

describe.skipIf(!HAS)('tallyLabelledAs per survey', () => {
  it('follows labels of both surveys and an ingest that tells whose a label was', async () => {
    const s = makeStore(Array.from({ length: 8 }, (_, i) => ({ candid: cid(i), objectId: `ZTF${i}`, night: '2025-12-30', ndets: 1 })));
    db = s.db;
    const d = db;
    const lsst = (await lsstBatches()).flatMap((b) => [...b.diaSourceId]);
    const check = (ztf: number, ls: number) => {
      expect(tallyLabelledAs(d, gal, 'ztf')).toBe(ztf);
      expect(tallyLabelledAs(d, gal, 'lsst')).toBe(ls);
      expect([recount(d, 'ztf'), recount(d, 'lsst')]).toEqual([ztf, ls]);
    };
    setLabel(d, cid(0), 'gal');
    setLabel(d, cid(1), 'extragal');
    setLabel(d, cid(2), 'bogus'); // not counted by gal
    check(2, 0);
    // Labels of two LSST alerts before they are ingested: nobody knows their survey yet.
    importLabelsCsv(d, `candid,objectId,label\n${lsst[0]},x0,gal\n${lsst[1]},x1,agn\n`);
    check(4, 2);
    await addRealLsst(d); // no label event: the ingest alone moves them to LSST
    check(2, 2);
    setLabel(d, lsst[2], 'varstar');
    setLabel(d, cid(1), null);
    check(1, 3);
  });
});
