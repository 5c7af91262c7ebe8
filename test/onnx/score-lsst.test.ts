/**
 * A model trained here on the lsst feature set of the 25 real LSST alerts: its ONNX records the lsst set and survey,
 * it scores the LSST alerts (ONNX Runtime within 1e-5 of the app, JSON exactly) and only them in a mixed store, and
 * it is refused, with a clear error, for ZTF alerts; a ZTF model is refused for LSST files.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_NAMES, LSST_SET_VERSION } from '../../core/features/names.js';
import { createClassifier, type Classifier } from '../../core/learn/classifier.js';
import { exportOnnx } from '../../core/learn/onnx/export.js';
import { loadSavedModel } from '../../core/learn/onnx/saved-model.js';
import { ModelMismatchError, scoreStore } from '../../core/learn/onnx/scoring.js';
import { taskModelMeta } from '../../core/learn/onnx/task-meta.js';
import type { Db } from '../../core/store/database.js';
import { loadFeatureMatrix } from '../../core/store/features.js';
import { LSST_FEATURE_NAMES } from '../../core/surveys/lsst/features.js';
import { dispatch } from '../../core/api/dispatch.js';
import { openService } from '../../core/api/service.js';
import { addRealLsst, lsstDataOrSkipReason } from '../helpers/lsst-store.js';
import { FINK_ZTF, HAS_SHARED } from '../helpers/shared-data.js';
import { makeStore, separableAlerts } from '../loop/fixture.js';

const HAS = lsstDataOrSkipReason('score-lsst');
type Row = Record<string, string>;
const readCsv = (f: string): Row[] => parse(readFileSync(f), { columns: true }) as Row[];

/** A tiny model on `version`'s features of `db`, with labels from a rule on one feature (both classes present). */
function trainOn(db: Db, version: string, rule: (x: (name: string) => number) => boolean): Classifier {
  const m = loadFeatureMatrix(db, { version });
  const y = new Uint8Array(m.n).map((_, i) => (rule((name) => m.X[i * m.d + m.names.indexOf(name)]) ? 1 : 0));
  expect(new Set(y).size).toBe(2);
  const c = createClassifier({ engine: 'hgb', params: { maxIter: 5, minSamplesLeaf: 2 }, featureNames: m.names });
  c.fit(m.X, m.n, m.d, y);
  return c;
}

describe.skipIf(!HAS)('scoring with a model of the lsst set', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vra-score-lsst-'));
  const f = (name: string) => join(dir, name);
  let mixed: Db;
  let ztfOnly: Db;
  let lsstOnly: Db;
  beforeAll(async () => {
    mixed = makeStore(separableAlerts(8), mkdtempSync(join(dir, 'm-'))).db;
    await addRealLsst(mixed);
    ztfOnly = makeStore(separableAlerts(8), mkdtempSync(join(dir, 'z-'))).db;
    lsstOnly = makeStore([], mkdtempSync(join(dir, 'l-'))).db;
    await addRealLsst(lsstOnly);
    const lsst = trainOn(mixed, LSST_SET_VERSION, (x) => x('snr') > 8);
    writeFileSync(f('l.json'), JSON.stringify(lsst.toJSON()));
    writeFileSync(f('l.onnx'), exportOnnx(lsst.toJSON(), taskModelMeta(lsst.toJSON(), 'gal', 'run-l')));
    const ztf = trainOn(ztfOnly, 'fs1', (x) => x('dets_median') < 19);
    writeFileSync(f('z.onnx'), exportOnnx(ztf.toJSON(), taskModelMeta(ztf.toJSON(), 'gal', 'run-z')));
  }, 120_000);
  afterAll(() => [mixed, ztfOnly, lsstOnly].forEach((d) => d.close()));

  it('records the lsst set and the lsst survey in the ONNX metadata', async () => {
    const m = await loadSavedModel(f('l.onnx'));
    await m.close();
    expect([m.featureSet, m.survey]).toEqual([LSST_SET_VERSION, 'lsst']);
    expect(m.featureNames).toEqual([...LSST_FEATURE_NAMES]);
    const z = await loadSavedModel(f('z.onnx'));
    await z.close();
    expect([z.featureSet, z.survey]).toEqual(['fs1', 'ztf']);
  });

  it('scores the LSST alerts of a mixed store, and only them, as the app does', async () => {
    const onnx = await loadSavedModel(f('l.onnx'));
    const json = await loadSavedModel(f('l.json'));
    try {
      const s = await scoreStore(mixed, onnx, f('onnx.csv'), { source: 'l.onnx' });
      await scoreStore(mixed, json, f('json.csv'), { source: 'l.json' });
      expect(s.rows).toBe(25);
      expect(s).toMatchObject({ survey: 'lsst', featureSet: 'ls1' });
      const m = loadFeatureMatrix(mixed, { version: LSST_SET_VERSION });
      const p = await json.predictProba(m.X, m.n);
      const rows = readCsv(f('onnx.csv'));
      expect(rows.map((r) => r.candid)).toEqual(m.candids);
      let max = 0;
      rows.forEach((r, i) => (max = Math.max(max, Math.abs(Number(r.p_galactic) - p[2 * i + 1]))));
      expect(max).toBeLessThan(1e-5);
      expect(readCsv(f('json.csv')).map((r) => Number(r.p_class1))).toEqual(Array.from({ length: m.n }, (_, i) => p[2 * i + 1]));
    } finally {
      await onnx.close();
      await json.close();
    }
  });

  it('refuses an lsst model for ZTF alerts, and a ZTF model for LSST alerts, saying so', async () => {
    for (const file of ['l.onnx', 'l.json']) {
      const m = await loadSavedModel(f(file));
      await expect(scoreStore(ztfOnly, m, f('x.csv'), { source: file })).rejects.toThrow(ModelMismatchError);
      await expect(scoreStore(ztfOnly, m, f('x.csv'), { source: file })).rejects.toThrow(
        `${file}: field survey: the model scores Rubin/LSST alerts (feature set ls1); the alerts to score are ZTF's`,
      );
      await m.close();
    }
    const z = await loadSavedModel(f('z.onnx'));
    await expect(scoreStore(lsstOnly, z, f('x.csv'), { source: 'z.onnx' })).rejects.toThrow(
      "z.onnx: field survey: the model scores ZTF alerts (feature set fs1); the alerts to score are Rubin/LSST's",
    );
    // In a mixed store the ZTF model scores the ZTF alerts.
    expect(await scoreStore(mixed, z, f('z.csv'), { source: 'z.onnx' })).toMatchObject({ rows: 8, survey: 'ztf' });
    await z.close();
    expect(FEATURE_NAMES.length).toBe(21);
  });

  it.skipIf(!HAS_SHARED)('model.score refuses the lsst model for ZTF files with the model_mismatch error', async () => {
    const service = openService({ dbPath: f('svc.sqlite'), homeDir: f('home') });
    try {
      const { jobId } = (await dispatch(service.handlers, 'model.score', {
        model: f('l.onnx'),
        files: [join(FINK_ZTF, 'tde_ZTF20abfcszi_202008.parquet')],
      })) as { jobId: string };
      await service.ctx.jobs.idle();
      const j = service.ctx.jobs.get(jobId)!;
      expect(j.state).toBe('failed');
      expect(j.error).toMatch(/field survey: the model scores Rubin\/LSST alerts \(feature set ls1\); the alerts to score are ZTF's/);
    } finally {
      await service.close();
    }
  });
});
