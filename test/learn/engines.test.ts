import { describe, expect, it } from 'vitest';
import {
  classifierFromJSON,
  createClassifier,
  EngineSpecSchema,
  positiveColumn,
  type EngineName,
} from '../../core/learn/classifier.js';
import { resolveMaxFeatures } from '../../core/learn/hist-forest.js';
import { autoMinSamplesLeaf } from '../../core/learn/hist-gbm.js';
import { binaryMetrics } from '../../core/learn/metrics.js';
import { alertLike, missingnessInformative, separable, sliceRows, type Dataset } from '../fixtures/learn/synthetic.js';

const OWN: EngineName[] = ['hgb', 'hrf'];
const ALL: EngineName[] = ['hgb', 'hrf', 'mlrf'];
// Keep ml-random-forest small: it is slow (see mlrf-adapter.ts).
const spec = (engine: EngineName, seed = 0) =>
  engine === 'mlrf' ? { engine, seed, params: { nEstimators: 25 } } : { engine, seed };

function evaluate(engine: EngineName, train: Dataset, test: Dataset, seed = 0) {
  const m = createClassifier(spec(engine, seed));
  m.fit(train.X, train.n, train.d, train.y, { featureNames: train.names });
  const proba = m.predictProba(test.X, test.n);
  return { m, proba, metrics: binaryMetrics(test.y, positiveColumn(proba, test.n)) };
}

describe.each(ALL)('engine %s', (engine) => {
  it('learns a separable set perfectly', () => {
    const ds = separable(200, 5, 1);
    const { metrics, proba } = evaluate(engine, sliceRows(ds, 0, 100), sliceRows(ds, 100, 200));
    expect(metrics.accuracy).toBe(1);
    expect(metrics.rocAuc).toBe(1);
    for (let i = 0; i < 100; i++) expect(proba[2 * i] + proba[2 * i + 1]).toBeCloseTo(1, 12);
  });

  it('learns from 10 labels (small-data defaults split)', () => {
    const ds = separable(110, 4, 2, 3);
    const { metrics, proba } = evaluate(engine, sliceRows(ds, 0, 10), sliceRows(ds, 10, 110));
    expect(metrics.accuracy).toBeGreaterThan(0.8);
    // Not a constant model: the probabilities vary.
    const p = positiveColumn(proba, 100);
    expect(Math.max(...p) - Math.min(...p)).toBeGreaterThan(0.3);
  });

  it('is deterministic from the seed and round-trips through JSON', () => {
    const ds = alertLike(300, 5);
    const train = sliceRows(ds, 0, 200);
    const test = sliceRows(ds, 200, 300);
    const a = evaluate(engine, train, test, 3);
    const b = evaluate(engine, train, test, 3);
    expect(JSON.stringify(a.m.toJSON())).toBe(JSON.stringify(b.m.toJSON()));
    const json = JSON.parse(JSON.stringify(a.m.toJSON())) as unknown;
    const back = classifierFromJSON(json);
    expect(back.featureNames).toEqual(ds.names);
    expect(Array.from(back.predictProba(test.X, test.n))).toEqual(Array.from(a.proba));
  });

  it('handles a training set with a single class', () => {
    const ds = separable(20, 3, 4);
    const y = new Uint8Array(20);
    const m = createClassifier(spec(engine));
    m.fit(ds.X, 20, 3, y);
    const p = m.predictProba(ds.X, 20);
    expect(p.length).toBe(40);
    for (let i = 0; i < 20; i++) expect(p[2 * i]).toBeGreaterThan(0.99);
  });
});

describe.each(OWN)('own engine %s', (engine) => {
  it('reaches a good AUC on a noisy 22-feature set with NaN', () => {
    const ds = alertLike(3000, 11);
    const { metrics } = evaluate(engine, sliceRows(ds, 0, 2000), sliceRows(ds, 2000, 3000));
    expect(metrics.rocAuc).toBeGreaterThan(0.83);
    expect(metrics.rocAuc).toBeLessThan(0.97); // 5% label noise: a perfect score would mean a leak
  });

  it('uses a feature informative only through missingness', () => {
    const ds = missingnessInformative(600, 3, 9);
    const { metrics } = evaluate(engine, sliceRows(ds, 0, 400), sliceRows(ds, 400, 600));
    // Bayes accuracy is 0.9 (NaN for 90% of class 1, 10% of class 0).
    expect(metrics.accuracy).toBeGreaterThan(0.8);
    expect(metrics.rocAuc).toBeGreaterThan(0.8);
  });

  it('sends NaN to the learnt side at prediction', () => {
    const ds = missingnessInformative(400, 1, 10);
    const m = createClassifier(spec(engine));
    m.fit(ds.X, ds.n, 1, ds.y);
    const p = m.predictProba(Float64Array.from([NaN, 0]), 2);
    expect(p[1]).toBeGreaterThan(0.7); // NaN -> mostly class 1
    expect(p[3]).toBeLessThan(0.3);
  });

  it('class weights and sample weights shift the decision', () => {
    // Overlapping classes with ~35% positives; regularised models (impure leaves) so that weights matter:
    // 'balanced' (or weighting positives ×4) raises the mean held-out P(1).
    const ds = alertLike(1200, 12);
    const train = sliceRows(ds, 0, 800);
    const test = sliceRows(ds, 800, 1200);
    const params = engine === 'hgb' ? { maxIter: 30, minSamplesLeaf: 20 } : { minSamplesLeaf: 20, nEstimators: 30 };
    const meanP1 = (extra: object, sw?: Float64Array): number => {
      const m = createClassifier({ engine, seed: 1, params: { ...params, ...extra } });
      m.fit(train.X, train.n, train.d, train.y, { sampleWeight: sw });
      return positiveColumn(m.predictProba(test.X, test.n), test.n).reduce((s, v) => s + v, 0) / test.n;
    };
    const base = meanP1({});
    expect(meanP1({ classWeight: 'balanced' })).toBeGreaterThan(base + 0.02);
    expect(meanP1({}, Float64Array.from(train.y, (v) => (v ? 4 : 1)))).toBeGreaterThan(base + 0.1);
    // Explicit per-class weights: the same as sample weights by class.
    expect(meanP1({ classWeight: [1, 4] })).toBeCloseTo(meanP1({}, Float64Array.from(train.y, (v) => (v ? 4 : 1))), 10);
  });
});

describe('hgb specifics', () => {
  it('auto min_samples_leaf scales with n', () => {
    expect([10, 30, 100, 200, 5000].map(autoMinSamplesLeaf)).toEqual([1, 3, 10, 20, 20]);
  });

  it('max_leaf_nodes and max_depth bound the trees', () => {
    const ds = alertLike(1000, 13);
    const m = createClassifier({ engine: 'hgb', params: { maxLeafNodes: 4, maxIter: 5 } });
    m.fit(ds.X, ds.n, ds.d, ds.y);
    const model = m.toJSON().model as { trees: { feature: string }[] };
    for (const t of model.trees) {
      const f = new Int32Array(new Uint8Array(Buffer.from(t.feature, 'base64')).buffer);
      expect(f.filter((v) => v < 0).length).toBeLessThanOrEqual(4);
    }
    const shallow = createClassifier({ engine: 'hgb', params: { maxDepth: 1, maxIter: 3 } });
    shallow.fit(ds.X, ds.n, ds.d, ds.y);
    for (const t of (shallow.toJSON().model as { trees: { feature: string }[] }).trees) {
      const f = new Int32Array(new Uint8Array(Buffer.from(t.feature, 'base64')).buffer);
      expect(f.length).toBeLessThanOrEqual(3); // a stump
    }
  });

  it('rejects more than two classes; the spec validates', () => {
    const m = createClassifier({ engine: 'hgb' });
    expect(() => m.fit(new Float64Array(3), 3, 1, Uint8Array.from([0, 1, 2]))).toThrow(/binary/);
    expect(() => EngineSpecSchema.parse({ engine: 'xgb' })).toThrow();
    expect(() => createClassifier({ engine: 'hgb', params: { learningRate: -1 } })).toThrow();
    expect(EngineSpecSchema.parse({ engine: 'hrf' })).toMatchObject({ seed: 0, params: { nEstimators: 100, maxFeatures: 'sqrt' } });
  });
});

describe('hrf specifics', () => {
  it('draws maxFeatures per split: even 1 candidate feature per split keeps the signal', () => {
    expect([22, 4, 1].map((d) => resolveMaxFeatures('sqrt', d))).toEqual([4, 2, 1]);
    expect(resolveMaxFeatures(0.5, 22)).toBe(11);
    expect(resolveMaxFeatures(30, 22)).toBe(22);
    expect(resolveMaxFeatures('all', 22)).toBe(22);
    // Per-tree sampling (ml-random-forest) starves most trees of the informative columns; per-split does not.
    const ds = alertLike(2000, 14);
    const train = sliceRows(ds, 0, 1500);
    const test = sliceRows(ds, 1500, 2000);
    const m = createClassifier({ engine: 'hrf', params: { maxFeatures: 1, nEstimators: 50 } });
    m.fit(train.X, train.n, train.d, train.y);
    expect(binaryMetrics(test.y, positiveColumn(m.predictProba(test.X, test.n), test.n)).rocAuc).toBeGreaterThan(0.8);
  });

  it('supports more than two classes', () => {
    const n = 300;
    const X = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 3;
      X[i] = y[i] * 10 + (i % 7) / 7;
    }
    const m = createClassifier({ engine: 'hrf' });
    m.fit(X, n, 1, y);
    expect(m.nClasses).toBe(3);
    const p = m.predictProba(Float64Array.from([0.5, 10.5, 20.5]), 3);
    expect([p[0], p[4], p[8]]).toEqual([1, 1, 1]);
  });
});
