/** Leave-one-night-out simulation: split, cells, and the pooled curve checked by hand. */
import { describe, expect, it } from 'vitest';
import { meanCurve } from '../../core/loop/simulate/aggregate.js';
import { runCell } from '../../core/loop/simulate/cell.js';
import { cellKey, cellName, expandGrid, type CellConfig } from '../../core/loop/simulate/grid.js';
import { leaveOneGroupOut } from '../../core/loop/simulate/split.js';

describe('leaveOneGroupOut', () => {
  it('seed s holds out the (s mod G)-th group in name order', () => {
    const g = ['b', 'a', 'c', 'a', 'b'];
    expect(leaveOneGroupOut(g, 0)).toEqual({ train: [0, 2, 4], test: [1, 3], group: 'a' });
    expect(leaveOneGroupOut(g, 1)).toEqual({ train: [1, 2, 3], test: [0, 4], group: 'b' });
    expect(leaveOneGroupOut(g, 5)).toEqual({ train: [0, 1, 3, 4], test: [2], group: 'c' });
    expect(() => leaveOneGroupOut(['a', 'a'], 0)).toThrow(/2 or more groups/);
  });
});

describe('grid splits', () => {
  it('runs every cell with each split; an object split keeps the key it had before splits existed', () => {
    const study = {
      name: 's',
      title: 't',
      vary: ['split' as const],
      tasks: ['gal' as const],
      strategies: ['random' as const],
      n0: [4],
      step: [4],
      engines: [{ engine: 'hgb' as const, params: {} }],
      classWeights: ['none' as const],
      budget: 12,
    };
    const cells = expandGrid({ name: 'g', seeds: 2, splits: ['night', 'object'], studies: [study] });
    expect(cells.map((c) => c.config.split)).toEqual(['night', 'object']);
    const { split: _drop, ...old } = cells[1].config;
    expect(cellKey(old as CellConfig)).toBe(cells[1].key);
    expect(cells[0].key).not.toBe(cells[1].key);
    expect(cellName(cells[0].config)).toMatch(/ split=night$/);
    expect(expandGrid({ name: 'g', seeds: 2, studies: [study] }).map((c) => c.config.split)).toEqual(['object']);
  });
});

/**
 * Four nights of 10 alerts, one object each, whose only feature tells the night (x in [10 j, 10 j + 1)) and whose
 * class is the night's (0, 1, 0, 1). Trained on the three other nights, a model predicts the class of the nearest
 * training night, always the other class (see test/learn/group-folds.test.ts): at the full budget every
 * leave-one-night-out prediction is wrong, while an object split (test objects from the same nights) is right.
 */
function nightData() {
  const n = 40;
  const X = Float64Array.from({ length: n }, (_, i) => 10 * Math.floor(i / 10) + (i % 10) / 10);
  const y = Uint8Array.from({ length: n }, (_, i) => Math.floor(i / 10) % 2);
  const nights = Array.from({ length: n }, (_, i) => `2021-11-2${Math.floor(i / 10)}`);
  const objectIds = Array.from({ length: n }, (_, i) => `ZTF${i}`);
  return { X, n, d: 1, y, objectIds, names: ['x'], groups: { night: nights, file: nights } };
}

const config = (o: Partial<CellConfig>): CellConfig => ({
  task: 'gal',
  strategy: 'random',
  n0: 6,
  step: 8,
  budget: 30,
  engine: 'hgb',
  params: {},
  classWeight: 'none',
  seeds: [0, 1, 2, 3],
  testFraction: 0.25,
  importance: false,
  ...o,
});

describe('leave-one-night-out cells', () => {
  const data = nightData();
  const night = runCell(data, config({ split: 'night' }));

  it('each seed tests one whole night and keeps its predictions', () => {
    expect(night.seeds.map((s) => s.group)).toEqual(['2021-11-20', '2021-11-21', '2021-11-22', '2021-11-23']);
    for (const s of night.seeds) {
      expect(s.test).toHaveLength(10);
      expect(s.testY).toEqual(Array(10).fill(Number(s.group!.endsWith('1') || s.group!.endsWith('3'))));
      expect(s.points.at(-1)!.labels).toBe(30);
      expect(s.points.every((p) => p.p1!.length === 10)).toBe(true);
    }
  });

  it('the curve is the metric of the predictions pooled over the nights (counted by hand); all wrong at the full budget', () => {
    const acc = meanCurve(night, 'accuracy');
    for (const point of acc) {
      let right = 0;
      let total = 0;
      for (const s of night.seeds) {
        const p = s.points.find((q) => q.labels === point.labels)!;
        p.p1!.forEach((v, k) => {
          total++;
          if ((v >= 0.5 ? 1 : 0) === s.testY![k]) right++;
        });
      }
      expect(point.mean).toBeCloseTo(right / total, 12);
    }
    expect(acc.at(-1)!.mean).toBe(0);
    expect(meanCurve(night, 'rocAuc').at(-1)!.mean).toBe(0);
    // Per night, one class only: the per-seed AUC is undefined, the pooled one is not.
    expect(night.seeds.every((s) => Number.isNaN(s.points.at(-1)!.rocAuc))).toBe(true);
  });

  it('an object split of the same data looks perfect', () => {
    const object = runCell(data, config({ split: 'object' }));
    expect(object.seeds[0].testY).toBeUndefined();
    expect(meanCurve(object, 'accuracy').at(-1)!.mean).toBe(1);
  });
});

describe('leaving features out', () => {
  // Two features: 'x' carries the class (0 or 1 plus a little), 'ra' the night only.
  const n = 40;
  const y = Uint8Array.from({ length: n }, (_, i) => (i % 5 < 2 ? 1 : 0));
  const X = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    X[2 * i] = y[i] + (i % 7) / 100;
    X[2 * i + 1] = 10 * Math.floor(i / 10);
  }
  const nights = Array.from({ length: n }, (_, i) => `n${Math.floor(i / 10)}`);
  const data = { X, n, d: 2, y, objectIds: nights.map((_, i) => `o${i}`), names: ['x', 'ra'], groups: { night: nights, file: nights } };

  it('withoutFeatures keeps the other columns in order and names an unknown feature', async () => {
    const { withoutFeatures } = await import('../../core/loop/simulate/cell.js');
    const r = withoutFeatures(data, ['ra']);
    expect(r.columns).toEqual([0]);
    expect(r.data.names).toEqual(['x']);
    expect(Array.from(r.data.X.subarray(0, 3))).toEqual([X[0], X[2], X[4]]);
    expect(() => withoutFeatures(data, ['dec'])).toThrow('drop: no feature named dec');
  });

  it('a cell without ra learns from x alone; its importance has NaN for ra', () => {
    const r = runCell(data, config({ split: 'night', drop: ['ra'], importance: true }));
    expect(meanCurve(r, 'accuracy').at(-1)!.mean).toBe(1);
    for (const s of r.seeds) {
      expect(s.importance).toHaveLength(2);
      expect(Number.isNaN(s.importance![1])).toBe(true);
    }
    const cells = expandGrid({
      name: 'g',
      seeds: 1,
      studies: [{ name: 's', title: 't', vary: ['drop'], tasks: ['gal'], strategies: ['random'], n0: [4], step: [4], engines: [{ engine: 'hgb', params: {} }], classWeights: ['none'], budget: 12, drop: [[], ['ra', 'dec']] }],
    });
    expect(cells.map((c) => c.config.drop)).toEqual([undefined, ['ra', 'dec']]);
    expect(cellName(cells[1].config)).toMatch(/ without ra,dec$/);
  });
});
