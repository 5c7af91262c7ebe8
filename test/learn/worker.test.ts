import { describe, expect, it } from 'vitest';
import { classifierFromJSON, createClassifier } from '../../core/learn/classifier.js';
import { committeeInWorker, crossValidateInWorker, trainAndScoreInWorker } from '../../core/learn/worker.js';
import { alertLike, sliceRows } from '../fixtures/learn/synthetic.js';

describe('learning in a worker thread', () => {
  const ds = alertLike(700, 31);
  const train = sliceRows(ds, 0, 500);
  const pool = sliceRows(ds, 500, 700);
  const data = { X: train.X, n: train.n, d: train.d, y: train.y, pool: pool.X, poolN: pool.n };

  it('trains and scores off the main thread, same result as in-thread', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const res = await trainAndScoreInWorker({
      spec: { engine: 'hgb', seed: 4 },
      ...data,
      featureNames: ds.names,
    });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0); // the event loop kept running
    const local = createClassifier({ engine: 'hgb', seed: 4 });
    local.fit(train.X, train.n, train.d, train.y, { featureNames: ds.names });
    expect(Array.from(res.poolProba)).toEqual(Array.from(local.predictProba(pool.X, pool.n)));
    expect(JSON.stringify(res.model)).toBe(JSON.stringify(local.toJSON()));
    expect(Array.from(classifierFromJSON(res.model).predictProba(pool.X, pool.n))).toEqual(Array.from(res.poolProba));
    expect(train.X.length).toBe(train.n * train.d); // copied, not moved, by default
  });

  it('moves inputs with transfer: true, and reports worker errors', async () => {
    const X = train.X.slice();
    await trainAndScoreInWorker(
      { spec: { engine: 'hrf', params: { nEstimators: 5 } }, X, n: train.n, d: train.d, y: train.y.slice(), pool: new Float64Array(0), poolN: 0 },
      { transfer: true },
    );
    expect(X.length).toBe(0); // detached
    await expect(
      trainAndScoreInWorker({ spec: { engine: 'hgb' }, X: train.X, n: train.n + 1, d: train.d, y: train.y, pool: pool.X, poolN: pool.n }),
    ).rejects.toThrow(/X has/);
  });

  it('cross-validates and builds a committee in the worker', async () => {
    const cv = await crossValidateInWorker({ spec: { engine: 'hgb', params: { maxIter: 20 } }, X: train.X, n: train.n, d: train.d, y: train.y, k: 3 });
    expect(cv.k).toBe(3);
    expect(cv.oofProba).toBeInstanceOf(Float64Array);
    expect(cv.pooled!.rocAuc).toBeGreaterThan(0.7);
    const members = await committeeInWorker({
      spec: { engine: 'hrf', params: { nEstimators: 10 } },
      ...data,
      members: 3,
    });
    expect(members).toHaveLength(3);
    expect(members[0].length).toBe(pool.n * 2);
    expect(Array.from(members[0])).not.toEqual(Array.from(members[1]));
  });
});
