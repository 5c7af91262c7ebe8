/** scoreStore on a small synthetic store: chunking does not change a row, progress reaches 1, a tie goes to the lower class. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClassifier } from '../../core/learn/classifier.js';
import { loadSavedModel } from '../../core/learn/onnx/saved-model.js';
import { argmax, scoreStore } from '../../core/learn/onnx/scoring.js';
import type { Db } from '../../core/store/database.js';
import { loadFeatureMatrix } from '../../core/store/features.js';
import { makeStore, separableAlerts } from '../loop/fixture.js';
import { writeOnnx } from './helpers.js';

let db: Db | null = null;
afterEach(() => {
  db?.close();
  db = null;
});

describe('scoreStore', () => {
  it('gives the same CSV in chunks of 7 as in one call, with progress to 1', async () => {
    const s = makeStore(separableAlerts(50));
    db = s.db;
    const m = loadFeatureMatrix(db);
    const y = Uint8Array.from({ length: m.n }, (_, i) => (m.X[i * m.d + m.names.indexOf('dets_median')] < 19 ? 1 : 0));
    const model = createClassifier({ engine: 'hgb', featureNames: m.names });
    model.fit(m.X, m.n, m.d, y);
    const saved = await loadSavedModel(writeOnnx(model));
    const fractions: number[] = [];
    const a = await scoreStore(db, saved, join(s.dir, 'a.csv'), { source: 'm.onnx', chunk: 7, progress: (f) => fractions.push(f) });
    const b = await scoreStore(db, saved, join(s.dir, 'b.csv'), { source: 'm.onnx' });
    await saved.close();
    expect(a.rows).toBe(50);
    expect(fractions).toHaveLength(Math.ceil(50 / 7));
    expect(fractions[fractions.length - 1]).toBe(1);
    expect(readFileSync(a.out, 'utf8')).toBe(readFileSync(b.out, 'utf8'));
    expect(a.predicted.galactic + a.predicted['not galactic']).toBe(50);
    expect(a.predicted.galactic).toBe(y.reduce((t, v) => t + v, 0));
  });

  it('argmax takes the lower class on a tie, as numpy does', () => {
    expect(argmax(Float64Array.from([0.5, 0.5]), 0, 2)).toBe(0);
    expect(argmax(Float64Array.from([0.2, 0.3, 0.5, 0.1, 0.45, 0.45]), 3, 3)).toBe(1);
  });
});
