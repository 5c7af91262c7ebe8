/**
 * The pool per night counts an alert out exactly when the label store says it is labelled or skipped. Night
 * 2021-11-20 has one alert more than 2021-11-21, the extra one in a given label history: when that alert leaves the
 * pool the nights tie and the later night wins, so the busiest night shows which side of the rule it fell on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../core/store/database.js';
import { addWeakLabel, importLabelsCsv, labelsOf, setLabel, skipAlert, skippedAmong, undoLast } from '../../core/store/labels.js';
import { busiestPoolNightOf } from '../../core/store/pool-nights.js';
import { addAlerts, cid, makeStore } from '../loop/fixture.js';

const EARLY = '2021-11-20';
const LATE = '2021-11-21';
const EXTRA = cid(0);

let db: Db | null = null;
afterEach(() => db?.close());

/** Two alerts on the early night (EXTRA among them), one on the late night, then `history` applied to EXTRA. */
function storeWith(history: (d: Db) => void): Db {
  const d = makeStore([
    { candid: EXTRA, objectId: 'ZTF_A', night: EARLY, ndets: 1 },
    { candid: cid(1), objectId: 'ZTF_B', night: EARLY, ndets: 1 },
    { candid: cid(2), objectId: 'ZTF_C', night: LATE, ndets: 1 },
  ]).db;
  db = d;
  history(d);
  return d;
}

const importCsv = (d: Db, label: string): void =>
  void importLabelsCsv(d, `candid,objectId,label,timestamp\n${EXTRA},ZTF_A,${label},2021-11-25T00:00:00Z`);

/** [history, whether EXTRA is out of the pool (worked out by hand)]. */
const CASES: [string, (d: Db) => void, boolean][] = [
  ['no event', () => {}, false],
  ['a human label', (d) => void setLabel(d, EXTRA, 'gal'), true],
  ['an imported label', (d) => importCsv(d, 'agn'), true],
  ['a label, then cleared', (d) => [setLabel(d, EXTRA, 'gal'), setLabel(d, EXTRA, null)], false],
  ['a label, then undone', (d) => [setLabel(d, EXTRA, 'gal'), undoLast(d)], false],
  ['a relabel undone: the first label again', (d) => [setLabel(d, EXTRA, 'gal'), setLabel(d, EXTRA, 'agn'), undoLast(d)], true],
  ['a skip', (d) => void skipAlert(d, EXTRA), true],
  ['a skip, then undone', (d) => [skipAlert(d, EXTRA), undoLast(d)], false],
  ['a skip undone, then skipped again', (d) => [skipAlert(d, EXTRA), undoLast(d), skipAlert(d, EXTRA)], true],
  ['a label, a skip undone: still labelled', (d) => [setLabel(d, EXTRA, 'bogus'), skipAlert(d, EXTRA), undoLast(d)], true],
  ['a skip, then a label cleared: still skipped', (d) => [skipAlert(d, EXTRA), setLabel(d, EXTRA, 'gal'), setLabel(d, EXTRA, null)], true],
  ['a weak label only', (d) => void addWeakLabel(d, EXTRA, 'ZTF_A', 'gal', 'cdsxmatch'), false],
];

describe('busiestPoolNightOf follows the label store', () => {
  it.each(CASES)('%s', (_name, history, out) => {
    const d = storeWith(history);
    expect(labelsOf(d, [EXTRA]).has(EXTRA) || skippedAmong(d, [EXTRA]).has(EXTRA)).toBe(out);
    expect(busiestPoolNightOf(d, 'ztf')).toBe(out ? LATE : EARLY);
  });

  it('alerts without detections (ndets 0) are not in the pool; an empty pool has no night', () => {
    const d = storeWith(() => {});
    addAlerts(d, [
      { candid: cid(3), objectId: 'ZTF_D', night: LATE, ndets: 0 },
      { candid: cid(4), objectId: 'ZTF_E', night: LATE, ndets: 0 },
    ]);
    expect(busiestPoolNightOf(d, 'ztf')).toBe(EARLY);
    for (const c of [EXTRA, cid(1), cid(2)]) setLabel(d, c, 'gal');
    expect(busiestPoolNightOf(d, 'ztf')).toBeNull();
  });
});
