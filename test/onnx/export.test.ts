/**
 * ONNX export checked by ONNX Runtime itself (onnxruntime-node): probabilities equal the app's within 1e-5 on the
 * real Fink alerts, on a generated night with NaN in every feature, and on values at and around every split
 * threshold (where a float32 comparison would route differently).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createClassifier, type EngineName, type EngineSpecInput } from '../../core/learn/classifier.js';
import { exportOnnx, NotExportableError } from '../../core/learn/onnx/export.js';
import { loadOnnxScorer, readOnnxMeta } from '../../core/learn/onnx/runtime.js';
import { treeFromJSON, TreeJSONSchema } from '../../core/learn/tree.js';
import { ingestFiles } from '../../core/ingest/ingest.js';
import { writeSampleNight } from '../../core/sample/write.js';
import { openStore } from '../../core/store/database.js';
import { loadFeatureMatrix, type FeatureMatrix } from '../../core/store/features.js';
import { FINK_ZTF, sharedDataOrSkipReason } from '../helpers/shared-data.js';
import { maxRuntimeDiff, metaFor, nextDouble, uniform, writeOnnx } from './helpers.js';
import { z } from 'zod';

const TOL = 1e-5;
const ENGINES: EngineName[] = ['hgb', 'hrf'];
const present = sharedDataOrSkipReason('onnx export on real alerts');

/** hgb with its defaults, hrf with fewer trees (faster; the mapping does not depend on the count). */
function spec(engine: EngineName, seed: number, featureNames?: string[]): EngineSpecInput {
  return engine === 'hrf' ? { engine, seed, featureNames, params: { nEstimators: 30 } } : { engine: 'hgb', seed, featureNames };
}

function fitOn(engine: EngineName, m: FeatureMatrix, y: Uint8Array) {
  const c = createClassifier(spec(engine, 3, m.names));
  c.fit(m.X, m.n, m.d, y);
  return c;
}

describe.skipIf(!present)('ONNX export on the real Fink alerts', () => {
  let m: FeatureMatrix;
  beforeAll(async () => {
    const db = openStore(join(mkdtempSync(join(tmpdir(), 'vra-onnx-real-')), 's.sqlite'));
    await ingestFiles(db, [FINK_ZTF], {});
    m = loadFeatureMatrix(db);
    db.close();
  }, 120_000);

  for (const engine of ENGINES) {
    it(`${engine}: ONNX Runtime gives the app's probabilities for every alert`, async () => {
      expect(m.n).toBe(377);
      // Labels from a rule on two features (any split will do: the point is to compare two evaluators).
      const drb = m.names.indexOf('drb');
      const nd = m.names.indexOf('ndets');
      const y = Uint8Array.from({ length: m.n }, (_, i) => (m.X[i * m.d + drb] > 0.9 !== m.X[i * m.d + nd] > 20 ? 1 : 0));
      const model = fitOn(engine, m, y);
      expect(await maxRuntimeDiff(model, m.X, m.n)).toBeLessThan(TOL);
    });
  }
});

describe('ONNX export on a generated night with NaN in every feature', () => {
  let m: FeatureMatrix;
  let y: Uint8Array;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vra-onnx-gen-'));
    const night = await writeSampleNight(join(dir, 'night.parquet'), { seed: 11, nAlerts: 400, night: '2024-05-01', cutouts: 'small' });
    const db = openStore(join(dir, 's.sqlite'));
    await ingestFiles(db, [night.file], { withCutouts: false });
    m = loadFeatureMatrix(db);
    db.close();
    const truth = new Map(night.truth.map((t) => [t.candid, t.galactic]));
    y = Uint8Array.from(m.candids, (c) => (truth.get(c) ? 1 : 0));
    // A fifth of every column missing, so every feature's splits learn (and the runtime follows) a NaN side.
    const r = uniform(5);
    for (let i = 0; i < m.X.length; i++) if (r() < 0.2) m.X[i] = NaN;
  }, 120_000);

  for (const engine of ENGINES) {
    it(`${engine}: equal within 1e-5, NaN routed as the trees route it`, async () => {
      for (let f = 0; f < m.d; f++) {
        let nan = 0;
        for (let i = 0; i < m.n; i++) if (Number.isNaN(m.X[i * m.d + f])) nan++;
        expect(nan, m.names[f]).toBeGreaterThan(0);
      }
      const model = fitOn(engine, m, y);
      // Both NaN sides occur in the model (else the missing-value routing would go untested).
      const sides = new Set<number>();
      for (const t of z.object({ trees: z.array(TreeJSONSchema) }).parse(model.toJSON().model).trees.map(treeFromJSON)) {
        for (let i = 0; i < t.feature.length; i++) if (t.feature[i] >= 0) sides.add(t.missingLeft[i]);
      }
      expect([...sides].sort()).toEqual([0, 1]);
      expect(await maxRuntimeDiff(model, m.X, m.n)).toBeLessThan(TOL);
    });
  }
});

describe('ONNX export at the split thresholds', () => {
  for (const engine of ENGINES) {
    it(`${engine}: values at, just above and just below every threshold (and NaN) route as in the app`, async () => {
      const n = 200;
      const d = 3;
      const r = uniform(17);
      // Doubles that float32 cannot tell apart: thresholds fall between them.
      const X = Float64Array.from({ length: n * d }, () => 1 + r() * 1e-6);
      const y = Uint8Array.from({ length: n }, (_, i) => (X[i * d] + X[i * d + 1] > 2 + 1e-6 ? 1 : 0));
      const model = createClassifier(spec(engine, 1));
      model.fit(X, n, d, y);
      const trees = z.object({ trees: z.array(TreeJSONSchema) }).parse(model.toJSON().model).trees.map(treeFromJSON);
      const rows: number[][] = [];
      let collapsed = 0;
      for (const t of trees) {
        for (let i = 0; i < t.feature.length; i++) {
          const f = t.feature[i];
          const thr = t.threshold[i];
          if (f < 0 || !Number.isFinite(thr)) continue;
          // NaN too: the training data had none, yet every split has a side for it.
          for (const v of [thr, nextDouble(thr, 1), nextDouble(thr, -1), NaN]) {
            const row = Array.from(X.subarray(0, d));
            row[f] = v;
            rows.push(row);
            if (v > thr && Math.fround(v) <= Math.fround(thr)) collapsed++;
          }
        }
      }
      // The test means something: float32 would send many of these rows to the wrong side.
      expect(collapsed).toBeGreaterThan(10);
      const B = Float64Array.from(rows.flat());
      const want = model.predictProba(B, rows.length);
      expect(new Set(Array.from(want).map((p) => p.toFixed(6))).size).toBeGreaterThan(2);
      expect(await maxRuntimeDiff(model, B, rows.length)).toBeLessThan(TOL);
    });
  }
});

describe('ONNX export: shapes the trees can take', () => {
  it('hrf with three classes: one probability column per class', async () => {
    const r = uniform(23);
    const n = 150;
    const X = Float64Array.from({ length: n * 2 }, () => (r() < 0.1 ? NaN : r()));
    const y = Uint8Array.from({ length: n }, (_, i) => (X[2 * i] < 0.33 ? 0 : X[2 * i] < 0.66 ? 1 : 2));
    const model = createClassifier(spec('hrf', 4));
    model.fit(X, n, 2, y);
    expect(model.nClasses).toBe(3);
    expect(() => exportOnnx(model.toJSON(), metaFor(model))).toThrow(/2 class names for a model of 3 classes/);
    expect(await maxRuntimeDiff(model, X, n, { classNames: ['low', 'mid', 'high'] })).toBeLessThan(TOL);
  });

  it('scores a view into a larger matrix (scoring goes in chunks) as the same rows of the whole', async () => {
    const r = uniform(29);
    const n = 60;
    const X = Float64Array.from({ length: n * 2 }, () => r());
    // Noisy labels: graded probabilities, so rows are told apart.
    const y = Uint8Array.from({ length: n }, (_, i) => (X[2 * i] > r() ? 1 : 0));
    const model = createClassifier(spec('hgb', 5, ['a', 'b']));
    model.fit(X, n, 2, y);
    const scorer = await loadOnnxScorer(writeOnnx(model));
    const whole = await scorer.predictProba(X, n);
    const tail = await scorer.predictProba(X.subarray(2 * 25), n - 25);
    await scorer.close();
    expect(Array.from(tail)).toEqual(Array.from(whole.subarray(2 * 25)));
    expect(new Set(Array.from(whole)).size).toBeGreaterThan(4);
  });

  for (const engine of ENGINES) {
    it(`${engine}: trees that are a single leaf (constant features)`, async () => {
      const X = new Float64Array(40).fill(1);
      const y = Uint8Array.from({ length: 20 }, (_, i) => (i % 4 === 0 ? 1 : 0));
      const model = createClassifier(spec(engine, 2));
      model.fit(X, 20, 2, y);
      const want = model.predictProba(X, 20);
      // hgb: sigmoid of the baseline log-odds (5 positives of 20); hrf: the bootstrap class fractions.
      if (engine === 'hgb') expect(want[1]).toBeCloseTo(0.25, 12);
      expect(await maxRuntimeDiff(model, X, 20)).toBeLessThan(TOL);
    });
  }
});

describe('ONNX export: what the file says and what it refuses', () => {
  const X = Float64Array.from({ length: 40 }, (_, i) => (i % 2 ? i : NaN));
  const y = Uint8Array.from({ length: 20 }, (_, i) => (i < 10 ? 0 : 1));

  it('writes the feature set, feature names, task, classes, survey and run id as metadata, and an ai.onnx.ml TreeEnsembleClassifier', () => {
    const model = createClassifier({ engine: 'hgb', featureNames: ['a', 'b'] });
    model.fit(X, 20, 2, y);
    const bytes = exportOnnx(model.toJSON(), metaFor(model, { runId: 'r123' }));
    expect(readOnnxMeta(bytes, 'm.onnx')).toEqual({
      featureSet: 'fs1',
      featureNames: ['a', 'b'],
      task: 'gal',
      classNames: ['not galactic', 'galactic'],
      survey: 'ztf',
      runId: 'r123',
      engine: 'hgb',
    });
    const proto = onnxProto.onnx.ModelProto.decode(bytes);
    expect(proto.graph?.node?.map((nd) => `${nd.domain}:${nd.opType}`)).toEqual(['ai.onnx.ml:TreeEnsembleClassifier']);
    expect(Number(proto.opsetImport.find((o) => o.domain === 'ai.onnx.ml')?.version)).toBe(3);
  });

  it('refuses mlrf with a clear reason, and a file without finkvra metadata names the file and field', () => {
    const model = createClassifier({ engine: 'mlrf', featureNames: ['a', 'b'], params: { nEstimators: 3 } });
    model.fit(Float64Array.from({ length: 40 }, (_, i) => i), 20, 2, y);
    expect(() => exportOnnx(model.toJSON(), metaFor(model))).toThrow(NotExportableError);
    expect(() => exportOnnx(model.toJSON(), metaFor(model))).toThrow(/mlrf.*cannot be exported/);
    const bare = onnxProto.onnx.ModelProto.encode(onnxProto.onnx.ModelProto.create({ irVersion: 8 })).finish();
    expect(() => readOnnxMeta(bare, 'x.onnx')).toThrow(/x\.onnx: metadata field finkvra\.feature_set is missing/);
  });
});
