/** The running count of counted labels against a full recount after every kind of event, from two connections. */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLASS_MAPS, LABELS, TASKS } from '../../core/labels.js';
import { countedLabels } from '../../core/loop/pool.js';
import { openStore, type Db } from '../../core/store/database.js';
import { tallyLabelledAs } from '../../core/store/label-tally.js';
import { addWeakLabel, importLabelsCsv, labelMap, setLabel, skipAlert, undoLast } from '../../core/store/labels.js';
import { cid, makeStore } from './fixture.js';

const open: Db[] = [];
afterEach(() => {
  while (open.length) open.pop()!.close();
});

const counted = (task: (typeof TASKS)[number]) => LABELS.filter((l) => DEFAULT_CLASS_MAPS[task][l] !== null);

/** Every task's tally equals countedLabels over the whole label map (the computation the tally replaces). */
function expectTallies(d: Db): void {
  for (const task of TASKS) expect(tallyLabelledAs(d, counted(task)), task).toBe(countedLabels(labelMap(d), DEFAULT_CLASS_MAPS[task]).size);
}

describe('tallyLabelledAs', () => {
  it('follows sets, relabels, clears, skips, undos, weak labels, imports and another connection', () => {
    const s = makeStore(Array.from({ length: 12 }, (_, i) => ({ candid: cid(i), objectId: `ZTF${i}`, night: '2021-11-22', ndets: 1 })));
    const d = s.db;
    open.push(d);
    const steps: (() => unknown)[] = [
      () => setLabel(d, cid(0), 'gal'),
      () => setLabel(d, cid(1), 'bogus'), // counted by 'real' only
      () => setLabel(d, cid(0), 'real'), // gal → a NaN class for 'gal'
      () => setLabel(d, cid(0), null),
      () => undoLast(d), // the clear undone: 'real' again
      () => skipAlert(d, cid(2)),
      () => undoLast(d),
      () => addWeakLabel(d, cid(3), 'ZTF3', 'gal', 'cdsxmatch'),
      () => importLabelsCsv(d, `candid,objectId,label,timestamp\n${cid(1)},ZTF1,agn,\n${cid(4)},ZTF4,varstar,\n${cid(700)},ZTF700,gal,\n`),
      () => undoLast(d), // undoes cid(0) 'real' (the clear's undo and the skip's are done): 'gal' again
      () => {
        const other = openStore(s.dbPath);
        open.push(other);
        setLabel(other, cid(5), 'extragal');
        setLabel(other, cid(4), 'bogus');
      },
      () => undoLast(d),
      () => undoLast(d),
    ];
    expectTallies(d);
    // Hand count for 'gal' (extragal, gal, agn, varstar count): none yet.
    expect(tallyLabelledAs(d, counted('gal'))).toBe(0);
    for (const step of steps) {
      step();
      expectTallies(d);
    }
    // Hand count at the end: cid(0) gal, cid(1) agn, cid(4) varstar (bogus undone), cid(5) unlabelled (undone),
    // cid(700) gal (imported, not ingested): four count for 'gal' and for 'real'.
    expect(tallyLabelledAs(d, counted('gal'))).toBe(4);
    expect(tallyLabelledAs(d, counted('real'))).toBe(4);
  });

  it('recounts after a large import', () => {
    const d = makeStore([]).db;
    open.push(d);
    expect(tallyLabelledAs(d, ['gal'])).toBe(0);
    const rows = Array.from({ length: 2500 }, (_, i) => `${cid(i)},ZTF${i},${i % 2 ? 'gal' : 'bogus'},`);
    importLabelsCsv(d, ['candid,objectId,label,timestamp', ...rows].join('\n'));
    expect(tallyLabelledAs(d, ['gal'])).toBe(1250);
  });
});
