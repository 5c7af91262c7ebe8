import { afterEach, describe, expect, it } from 'vitest';
import {
  currentLabel,
  currentLabels,
  importLabelsCsv,
  labelHistory,
  setLabel,
  skipAlert,
  skippedCandids,
  undoLast,
  UnknownAlertError,
  addWeakLabel,
  seedLabelRows,
} from '../../core/store/labels.js';
import type { Db } from '../../core/store/database.js';
import { cid, makeStore } from './fixture.js';

let db: Db | null = null;
afterEach(() => db?.close());

function store(n = 6): Db {
  db = makeStore(Array.from({ length: n }, (_, i) => ({ candid: cid(i), objectId: `ZTF${i}`, night: '2021-11-22', ndets: 1 }))).db;
  return db;
}

describe('label events', () => {
  it('the newest human label is current and the history keeps every event', () => {
    const d = store();
    setLabel(d, cid(0), 'gal');
    setLabel(d, cid(0), 'extragal');
    expect(currentLabel(d, cid(0))?.label).toBe('extragal');
    expect(labelHistory(d, cid(0)).map((e) => [e.action, e.label])).toEqual([
      ['set', 'gal'],
      ['set', 'extragal'],
    ]);
  });

  it('undo restores the previous label as a new event, and repeated undos walk back', () => {
    const d = store();
    setLabel(d, cid(0), 'gal');
    setLabel(d, cid(1), 'agn');
    setLabel(d, cid(0), 'varstar');
    const u1 = undoLast(d)!;
    expect(u1.undone.candid).toBe(cid(0));
    expect(u1.restored).toBe('gal');
    expect(currentLabel(d, cid(0))?.label).toBe('gal');
    const u2 = undoLast(d)!;
    expect(u2.undone.candid).toBe(cid(1));
    expect(u2.restored).toBeNull();
    expect(currentLabel(d, cid(1))).toBeNull();
    const u3 = undoLast(d)!;
    expect(u3.restored).toBeNull();
    expect(currentLabel(d, cid(0))).toBeNull();
    expect(undoLast(d)).toBeNull();
    // Nothing deleted: 3 sets + 3 undos.
    expect(labelHistory(d, cid(0)).map((e) => e.action)).toEqual(['set', 'set', 'undo', 'undo']);
    expect(currentLabels(d)).toEqual([]);
  });

  it('a relabel after an undo is undone on its own', () => {
    const d = store();
    setLabel(d, cid(2), 'gal');
    undoLast(d);
    setLabel(d, cid(2), 'bogus');
    expect(undoLast(d)!.restored).toBeNull();
    expect(currentLabel(d, cid(2))).toBeNull();
  });

  it('skips are recorded, undoable, and do not change the label', () => {
    const d = store();
    setLabel(d, cid(3), 'gal');
    skipAlert(d, cid(4));
    expect(skippedCandids(d)).toEqual(new Set([cid(4)]));
    const u = undoLast(d)!;
    expect(u.undone.action).toBe('skip');
    expect(skippedCandids(d).size).toBe(0);
    expect(currentLabel(d, cid(3))?.label).toBe('gal');
  });

  it('weak labels never count as labels', () => {
    const d = store();
    addWeakLabel(d, cid(5), 'ZTF5', 'gal', 'cdsxmatch');
    expect(currentLabel(d, cid(5))).toBeNull();
  });

  it('refuses unknown alerts and labels', () => {
    const d = store();
    expect(() => setLabel(d, '1', 'gal')).toThrow(UnknownAlertError);
    // @ts-expect-error: not a label
    expect(() => setLabel(d, cid(0), 'planet')).toThrow(/unknown label/);
  });
});

describe('importLabelsCsv (the seed labeled.csv)', () => {
  it('reports duplicates, unknown candids, bad rows, and is idempotent', () => {
    const d = store();
    setLabel(d, cid(1), 'gal');
    const csv = [
      'candid,objectId,label,timestamp',
      `${cid(0)},ZTF0,gal,2025-06-01T10:00:00Z`,
      `${cid(0)},ZTF0,extragal,2025-06-01T10:05:00Z`,
      `${cid(1)},ZTF1,varstar,2025-06-01T10:06:00Z`,
      `${cid(2)},ZTF2,planet,2025-06-01T10:07:00Z`,
      `999,ZTFX,agn,2025-06-01T10:08:00Z`,
      `abc,ZTFY,agn,`,
      `1.7e+18,ZTFZ,gal,2025-06-01T10:09:00Z`,
    ].join('\n');
    const r = importLabelsCsv(d, csv);
    expect(r.rows).toBe(7);
    expect(r.duplicatesInFile).toEqual([{ candid: cid(0), rows: [2, 3] }]);
    expect(r.invalid.map((x) => x.row)).toEqual([5, 7, 8]);
    expect(r.invalid[2].reason).toMatch(/float/);
    expect(r.unknownCandids).toEqual(['999']);
    expect(r.changed).toEqual([{ candid: cid(1), from: 'gal', to: 'varstar' }]);
    expect(r.imported).toBe(3);
    expect(currentLabel(d, cid(0))?.label).toBe('extragal');
    expect(currentLabel(d, cid(0))?.source).toBe('import');
    expect(currentLabel(d, cid(0))?.at).toBe('2025-06-01T10:05:00.000Z');
    const again = importLabelsCsv(d, csv);
    expect(again.imported).toBe(0);
    expect(again.unchanged).toBe(3);
    // The human undo cursor skips imports, and undoing a label an import replaced keeps the imported one.
    const u = undoLast(d)!;
    expect(u.undone.candid).toBe(cid(1));
    expect(u.restored).toBe('varstar');
    expect(seedLabelRows(d).map((x) => [x.candid, x.label]).sort()).toEqual([
      [cid(0), 'extragal'],
      [cid(1), 'varstar'],
      ['999', 'agn'],
    ]);
  });
});
