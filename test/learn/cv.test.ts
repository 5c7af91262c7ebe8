import { describe, expect, it } from 'vitest';
import { crossValidate, stratifiedKFold } from '../../core/learn/cv.js';
import { alertLike, separable } from '../fixtures/learn/synthetic.js';

describe('stratified k-fold', () => {
  it('keeps class proportions per fold and is seeded', () => {
    const y = Uint8Array.from({ length: 50 }, (_, i) => (i < 20 ? 1 : 0));
    const f = stratifiedKFold(y, 5, 1);
    expect(f.k).toBe(5);
    expect(f.note).toBeUndefined();
    for (let k = 0; k < 5; k++) {
      let pos = 0;
      let all = 0;
      for (let i = 0; i < 50; i++) {
        if (f.fold[i] === k) {
          all++;
          pos += y[i];
        }
      }
      expect(all).toBe(10);
      expect(pos).toBe(4);
    }
    expect(Array.from(stratifiedKFold(y, 5, 1).fold)).toEqual(Array.from(f.fold));
    expect(Array.from(stratifiedKFold(y, 5, 2).fold)).not.toEqual(Array.from(f.fold));
  });

  it('reduces k when a class is small, and says so; refuses with one member or one class', () => {
    const y = Uint8Array.from([0, 0, 0, 0, 0, 0, 1, 1, 1]);
    const f = stratifiedKFold(y, 5, 0);
    expect(f.k).toBe(3);
    expect(f.note).toMatch(/reduced from 5 to 3: class 1 has only 3/);
    expect(stratifiedKFold(Uint8Array.from([0, 0, 0, 1]), 5).k).toBe(0);
    expect(stratifiedKFold(Uint8Array.from([0, 0, 0, 1]), 5).note).toMatch(/class 1 has only 1/);
    expect(stratifiedKFold(Uint8Array.from([1, 1, 1]), 5).note).toMatch(/only class 1/);
  });
});

describe('crossValidate', () => {
  it('returns out-of-fold probabilities for every row, per-fold and pooled metrics', () => {
    const ds = separable(60, 3, 5);
    const r = crossValidate({ engine: 'hgb' }, ds.X, ds.n, ds.d, ds.y, { k: 3, seed: 1 });
    expect(r.k).toBe(3);
    expect(r.folds.map((f) => f.nTest)).toEqual([20, 20, 20]);
    for (let i = 0; i < ds.n; i++) expect(r.oofProba[2 * i] + r.oofProba[2 * i + 1]).toBeCloseTo(1, 12);
    expect(r.pooled!.accuracy).toBeGreaterThanOrEqual(0.85);
    // Equal-size folds: pooled accuracy = mean of the fold accuracies.
    expect(r.foldMeanStd.accuracy.mean).toBeCloseTo(r.pooled!.accuracy, 12);
    const accs = r.folds.map((f) => f.metrics.accuracy);
    const m = accs.reduce((a, b) => a + b, 0) / 3;
    expect(r.foldMeanStd.accuracy.std).toBeCloseTo(Math.sqrt(accs.reduce((a, b) => a + (b - m) ** 2, 0) / 3), 12);
  });

  it('CV AUC is honest: below the training-set AUC on noisy data', () => {
    const ds = alertLike(400, 6);
    const r = crossValidate({ engine: 'hrf', params: { nEstimators: 30 } }, ds.X, ds.n, ds.d, ds.y, { k: 4 });
    expect(r.pooled!.rocAuc).toBeGreaterThan(0.7);
    expect(r.pooled!.rocAuc).toBeLessThan(0.95);
  });

  it('k = 0 when CV is impossible', () => {
    const r = crossValidate({ engine: 'hgb' }, new Float64Array(3), 3, 1, Uint8Array.from([0, 0, 1]));
    expect(r.k).toBe(0);
    expect(r.pooled).toBeNull();
    expect(r.note).toBeDefined();
  });
});
