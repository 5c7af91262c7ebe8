import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../core/ingest/ingest.js';
import { classSupport, loadSimDataset } from '../../core/loop/simulate/dataset.js';
import { openStore } from '../../core/store/database.js';
import { labelMap, weakLabels } from '../../core/store/labels.js';
import { combinedWeakLabels, deriveWeakLabels, readWeakAlertRows, storeWeakLabels } from '../../core/weak/derive.js';
import { weakLabelOf } from '../../core/weak/mapping.js';
import { FINK_ZTF, sharedDataOrSkipReason } from '../helpers/shared-data.js';

const HAS = sharedDataOrSkipReason('weak labels in a store');

describe.skipIf(!HAS)('weak labels stored from a real file', () => {
  it('stores one weak event per column label, idempotently, apart from human labels; the gal dataset follows them', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'finkvra-weak-'));
    const db = openStore(join(dir, 'store.sqlite'));
    await ingestFiles(db, [join(FINK_ZTF, 'ztf_20211122_xmatch_sample_a.parquet')], { withCutouts: false, dust: null });
    const rows = readWeakAlertRows(db);
    expect(rows.length).toBe(67);
    // Expected cdsxmatch labels computed row by row from the table.
    const expected = new Map(rows.filter((r) => r.roid !== 3).flatMap((r) => {
      const l = weakLabelOf('cdsxmatch', r.cdsxmatch);
      return l ? [[r.candid, l] as const] : [];
    }));
    expect(expected.size).toBeGreaterThan(30);
    const d = deriveWeakLabels(rows);
    const first = storeWeakLabels(db, d, rows);
    expect(first.written.cdsxmatch).toBe(expected.size);
    expect(weakLabels(db, 'cdsxmatch')).toEqual(expected);
    const again = storeWeakLabels(db, deriveWeakLabels(readWeakAlertRows(db)), rows);
    expect(again.written).toEqual({ tnsclass: 0, cdsxmatch: 0, finkclass: 0 });
    expect(again.unchanged.cdsxmatch).toBe(expected.size);
    expect(labelMap(db).size).toBe(0); // weak labels never count as labels
    const combined = combinedWeakLabels(db);
    expect(combined.size).toBe(d.combined.size);

    const ds = loadSimDataset(db, 'gal', 'weak');
    expect(ds.n).toBeGreaterThan(0);
    ds.candids.forEach((c, i) => {
      const word = combined.get(c)!.label;
      expect(ds.labels[i]).toBe(word);
      expect(ds.y[i]).toBe(word === 'gal' || word === 'varstar' ? 1 : 0);
    });
    const human = loadSimDataset(db, 'gal', 'human');
    expect(human.n).toBe(0);
    expect(classSupport(human).skipReason).toMatch(/too few examples/);
    db.close();
  });
});
