/**
 * labels import with LSST alerts (core/labels-csv.ts, core/store/labels.ts): diaSourceIds above 2^53 land on their
 * alert exactly; an optional `survey` column is checked against the stored alert, and a mismatch refuses the row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLabelsCsv } from '../../core/labels-csv.js';
import { labelsCsv } from '../../core/loop/export.js';
import type { Db } from '../../core/store/database.js';
import { currentLabel, importLabelsCsv, setLabel } from '../../core/store/labels.js';
import type { LsstBatch } from '../../core/surveys/lsst/batch.js';
import { addRealLsst, lsstDataOrSkipReason } from '../helpers/lsst-store.js';
import { cid, makeStore, separableAlerts } from './fixture.js';

describe('the survey column of a labels file', () => {
  it('is optional, read case-insensitively, and a value that is no survey refuses the row', () => {
    const p = parseLabelsCsv('candid,label,survey\n1,gal,LSST\n2,gal,\n3,gal,hst\n', 'l.csv');
    expect(p.valid.map((r) => [r.candid, r.survey])).toEqual([
      ['1', 'lsst'],
      ['2', null],
    ]);
    expect(p.invalid).toEqual([{ row: 4, reason: 'field survey: not one of ztf, lsst' }]);
    expect(parseLabelsCsv('candid,label\n1,gal\n', 'l.csv').valid[0].survey).toBeNull();
  });
});

const HAS = lsstDataOrSkipReason('labels-import-surveys');

describe.skipIf(!HAS)('importing labels of LSST alerts', () => {
  let db: Db;
  let b: LsstBatch;
  beforeAll(async () => {
    ({ db } = makeStore(separableAlerts(4)));
    [b] = await addRealLsst(db);
  });
  afterAll(() => db.close());

  it('puts each label on the exact diaSourceId, with its object', () => {
    const [a, c] = [b.diaSourceId[0], b.diaSourceId[5]];
    expect(BigInt(a)).toBeGreaterThan(2n ** 53n);
    // Neighbours of the id as a double would round to the same number: the import must not.
    const near = (BigInt(a) + 1n).toString();
    const r = importLabelsCsv(db, `candid,objectId,label\n${a},,agn\n${c},,gal\n${near},x,real\n`, 'l.csv');
    expect(r.imported).toBe(3);
    expect(r.unknownCandids).toEqual([near]);
    expect(currentLabel(db, a)?.label).toBe('agn');
    expect(currentLabel(db, a)?.objectId).toBe(b.diaObjectId[0] ?? `ss:${b.ssObjectId[0]}`);
    expect(currentLabel(db, c)?.label).toBe('gal');
  });

  it('refuses, by row number, a row whose survey is not the stored alert’s', () => {
    const lsst = b.diaSourceId[1];
    const text = `candid,label,survey\n${cid(1)},varstar,ztf\n${lsst},bogus,ztf\n${cid(2)},gal,lsst\n${b.diaSourceId[2]},extragal,lsst\n`;
    const r = importLabelsCsv(db, text, 'l.csv');
    expect(r.invalid).toEqual([
      { row: 3, reason: `field survey: the file says ztf; the stored alert ${lsst} is lsst` },
      { row: 4, reason: `field survey: the file says lsst; the stored alert ${cid(2)} is ztf` },
    ]);
    expect(r.imported).toBe(2);
    expect(currentLabel(db, lsst)).toBeNull();
    expect(currentLabel(db, cid(2))).toBeNull();
    expect(currentLabel(db, b.diaSourceId[2])?.label).toBe('extragal');
  });

  it('reads back its own seed export of a mixed store', () => {
    setLabel(db, b.diaSourceId[7], 'varstar');
    const out = labelsCsv(db, { format: 'seed', task: 'gal' });
    const r = importLabelsCsv(db, out.csv, 'labeled.csv');
    expect(r.invalid).toEqual([]);
    expect(r.unchanged).toBe(r.rows);
  });
});
