import { describe, expect, it } from 'vitest';
import { createClassifier } from '../../core/learn/classifier.js';
import { cvPermutationImportance, importanceToCsv, permutationImportance } from '../../core/learn/importance.js';
import { oneInformative, sliceRows } from '../fixtures/learn/synthetic.js';

describe('permutation importance', () => {
  const ds = oneInformative(400, 5, 3, 21);

  it('finds the one informative feature on held-out folds', () => {
    const r = cvPermutationImportance({ engine: 'hgb', params: { maxIter: 30 } }, ds.X, ds.n, ds.d, ds.y, {
      k: 3,
      repeats: 3,
      featureNames: ds.names,
    });
    expect(r.k).toBe(3);
    expect(r.importances[0].feature).toBe('x3');
    expect(r.importances[0].values).toHaveLength(9); // 3 folds × 3 repeats
    expect(r.importances[0].mean).toBeGreaterThan(0.2);
    for (const f of r.importances.slice(1)) expect(Math.abs(f.mean)).toBeLessThan(0.05);
    expect(importanceToCsv(r).split('\n')[1]).toMatch(/^x3,/);
  });

  it('on a held-out set with a fitted model (accuracy metric)', () => {
    const m = createClassifier({ engine: 'hrf', params: { nEstimators: 30 } });
    const train = sliceRows(ds, 0, 300);
    const test = sliceRows(ds, 300, 400);
    m.fit(train.X, train.n, train.d, train.y, { featureNames: ds.names });
    const r = permutationImportance(m, test.X, test.n, test.d, test.y, { metric: 'accuracy', repeats: 4, seed: 2 });
    expect(r.importances[0].feature).toBe('x3');
    expect(r.importances[0].std).toBeGreaterThanOrEqual(0);
    const again = permutationImportance(m, test.X, test.n, test.d, test.y, { metric: 'accuracy', repeats: 4, seed: 2 });
    expect(again).toEqual(r);
  });
});
