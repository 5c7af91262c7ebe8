import { describe, expect, it } from 'vitest';
import { createClassifier } from '../../core/learn/classifier.js';
import type { MlRandomForest } from '../../core/learn/mlrf-adapter.js';
import { columnMedians } from '../../core/learn/mlrf-adapter.js';

describe('ml-random-forest adapter', () => {
  // Rows 0..9 class 0 at x = 0..9, rows 10..19 class 1 at x = 100..109: every bootstrap tree separates them.
  const n = 20;
  const X = Float64Array.from({ length: n }, (_, i) => (i < 10 ? i : 90 + i));
  const y = Uint8Array.from({ length: n }, (_, i) => (i < 10 ? 0 : 1));

  it('counts every tree vote (the library drops the first one)', () => {
    const m = createClassifier({ engine: 'mlrf', seed: 1, params: { nEstimators: 10 } }) as MlRandomForest;
    m.fit(X, n, 1, y);
    const q = Float64Array.from([105]);
    // All 10 trees vote 1: the library says 0.9 (+1e-6 from the first vote used as the reduce seed), we say 1.
    expect(m.libraryProbability(q, 1, 1)[0]).toBeCloseTo(0.9, 5);
    expect(Array.from(m.predictProba(q, 1))).toEqual([0, 1]);
  });

  it('trains a single tree (noOOB is forced: the library throws with noOOB false and one tree)', () => {
    const m = createClassifier({ engine: 'mlrf', params: { nEstimators: 1 } });
    expect(() => m.fit(X, n, 1, y)).not.toThrow();
    expect(Array.from(m.predictProba(Float64Array.from([3]), 1))).toEqual([1, 0]);
  });

  it('imputes NaN with training medians', () => {
    const Xn = X.slice();
    Xn[0] = NaN;
    expect(columnMedians(Xn, n, 1)).toEqual([100]); // median of 1..9, 100..109 (19 values) is the 10th: 100
    const m = createClassifier({ engine: 'mlrf', params: { nEstimators: 5 } });
    m.fit(Xn, n, 1, y);
    expect(Array.from(m.predictProba(Float64Array.from([NaN]), 1))).toEqual(Array.from(m.predictProba(Float64Array.from([100]), 1)));
    expect(m.toJSON().model).toMatchObject({ medians: [100] });
  });
});
