import { describe, expect, it } from 'vitest';
import { crossValidate, crossValidateFolds } from '../../core/learn/cv.js';
import { groupKFold, MIN_GROUPS, objectWholeGroups } from '../../core/learn/group-folds.js';

describe('groupKFold', () => {
  it('puts whole groups in folds, largest first to the lightest fold (hand-computed)', () => {
    // a×5, b×3, c×3, d×1 into 3 folds: a→0 (5), b→1 (3), c→2 (3), d→1 (lightest, lower index) → loads 5, 4, 3.
    const groups = ['a', 'b', 'a', 'c', 'a', 'b', 'd', 'c', 'a', 'c', 'b', 'a'];
    const f = groupKFold(groups, 3);
    expect(f.k).toBe(3);
    expect(f.nGroups).toBe(4);
    expect(f.foldGroups).toEqual([['a'], ['b', 'd'], ['c']]);
    expect(Array.from(f.fold)).toEqual([0, 1, 0, 2, 0, 1, 1, 2, 0, 2, 1, 0]);
    expect(f.note).toBeUndefined();
  });

  it('is leave-one-group-out when k >= groups, and says k was reduced', () => {
    const f = groupKFold(['n1', 'n2', 'n3', 'n1'], 5);
    expect(f.k).toBe(3);
    expect(f.note).toMatch(/k reduced from 5 to 3: labels from 3 nights/);
    expect(f.foldGroups).toEqual([['n1'], ['n2'], ['n3']]);
  });

  it(`refuses with fewer than ${MIN_GROUPS} groups, saying how many there are`, () => {
    const f = groupKFold(['2021-11-22', '2021-11-22', '2025-01-14'], 5);
    expect(f.k).toBe(0);
    expect(f.note).toBe('cv_night: n/a — labels from 2 nights; need 3');
    expect(groupKFold(['x.parquet'], 5, 'file').note).toBe('cv_night (by source file): n/a — labels from 1 file; need 3');
  });

  it("gives every alert of an object its earliest alert's group", () => {
    const g = objectWholeGroups(['o1', 'o2', 'o1', 'o3', 'o2'], ['n2', 'n1', 'n1', 'n3', 'n3'], [5, 1, 2, 9, 3]);
    expect(g).toEqual(['n1', 'n1', 'n1', 'n3', 'n1']);
  });
});

/**
 * Four nights whose feature value tells them apart (x in [10 j, 10 j + 1] on night j) and whose class is the night's
 * (0, 1, 0, 1): the model can only learn where an alert came from. Within the nights it looks perfect; a model that
 * never saw the night predicts the class of the nearest training night, which is always the other class:
 *   test night 0 (x≈0)  → nearest training night 1 → 1;  test night 1 (x≈10) → nights 0 and 2 both 0 → 0;
 *   test night 2 (x≈20) → nights 1 and 3 both 1 → 1;      test night 3 (x≈30) → nearest night 2 → 0.
 * So every night-grouped prediction is wrong: accuracy 0, balanced accuracy 0, ROC AUC 0.
 */
function nightShortcut(perNight: number) {
  const n = 4 * perNight;
  const X = new Float64Array(n);
  const y = new Uint8Array(n);
  const nights: string[] = [];
  for (let j = 0; j < 4; j++) {
    for (let i = 0; i < perNight; i++) {
      const r = j * perNight + i;
      X[r] = 10 * j + i / perNight;
      y[r] = j % 2;
      nights.push(`2021-11-2${j}`);
    }
  }
  return { X, y, n, nights };
}

describe('night-grouped cross-validation', () => {
  const ds = nightShortcut(40);
  for (const engine of ['hgb', 'hrf'] as const) {
    it(`${engine}: every night is predicted as the class of its neighbour nights (hand-computed), object CV looks perfect`, () => {
      const folds = groupKFold(ds.nights, 5);
      expect(folds.k).toBe(4);
      const r = crossValidateFolds({ engine, seed: 1 }, ds.X, ds.n, 1, ds.y, folds);
      for (let i = 0; i < ds.n; i++) expect(r.oofProba[2 * i + 1] >= 0.5 ? 1 : 0).toBe(1 - ds.y[i]);
      expect(r.pooled!.accuracy).toBe(0);
      expect(r.pooled!.balancedAccuracy).toBe(0);
      expect(r.pooled!.rocAuc).toBe(0);
      expect(r.pooled!.confusion.matrix).toEqual([[0, 80], [80, 0]]);
      const optimistic = crossValidate({ engine, seed: 1 }, ds.X, ds.n, 1, ds.y, { k: 5, seed: 1 });
      expect(optimistic.pooled!.accuracy).toBe(1);
    });
  }

  it('a fold whose training nights hold one class predicts that class', () => {
    // Nights a, b: class 0; night c: class 1. Testing c, the model saw class 0 only: P(1) = 0 for c's rows.
    const X = Float64Array.from([0, 1, 2, 3, 4, 5]);
    const y = Uint8Array.from([0, 0, 0, 0, 1, 1]);
    const r = crossValidateFolds({ engine: 'hgb' }, X, 6, 1, y, groupKFold(['a', 'a', 'b', 'b', 'c', 'c'], 3));
    expect(r.oofProba[2 * 4 + 1]).toBe(0);
    expect(r.oofProba[2 * 5 + 1]).toBe(0);
    expect(r.pooled!.confusion.matrix[1]).toEqual([2, 0]);
  });
});
