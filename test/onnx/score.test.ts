/**
 * `finkvra train --onnx` and `finkvra score` end to end on the real Fink alerts: the ONNX file scored by ONNX Runtime
 * gives the app's own probabilities (within 1e-5) for every alert; the JSON model gives them exactly; --night and
 * files given directly select the right alerts; a model of another feature set or survey is refused.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../core/api/dispatch.js';
import { openService } from '../../core/api/service.js';
import { registerIngest } from '../../core/cli/commands/ingest.js';
import { registerScore } from '../../core/cli/commands/score.js';
import { registerTrain } from '../../core/cli/commands/train.js';
import { EXTENDED_FEATURE_NAMES, EXTENDED_SET_VERSION, FEATURE_SET_VERSION } from '../../core/features/names.js';
import { classifierFromJSON } from '../../core/learn/classifier.js';
import { loadOnnxScorer } from '../../core/learn/onnx/runtime.js';
import { openStore, type Db } from '../../core/store/database.js';
import { loadFeatureMatrix } from '../../core/store/features.js';
import { setLabel } from '../../core/store/labels.js';
import { FINK_ZTF, sharedDataOrSkipReason } from '../helpers/shared-data.js';
import { withMeta } from './helpers.js';
import { cliRunner } from '../helpers/cli.js';

const present = sharedDataOrSkipReason('finkvra score on real alerts');

type Row = Record<string, string>;
const readCsv = (f: string): Row[] => parse(readFileSync(f), { columns: true }) as Row[];

describe.skipIf(!present)('finkvra train --onnx / finkvra score on the real alerts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vra-score-'));
  const dbPath = join(dir, 'store.sqlite');
  const home = join(dir, 'home');
  const f = (name: string) => join(dir, name);
  let db: Db;
  const run = cliRunner(dbPath, home, registerIngest, registerTrain, registerScore);

  beforeAll(async () => {
    await run('ingest', '--no-cutouts', FINK_ZTF);
    db = openStore(dbPath);
    // Labels for the 'gal' task from a rule on the features (both classes; the model only has to be some model).
    const m = loadFeatureMatrix(db);
    const drb = m.names.indexOf('drb');
    for (let i = 0; i < m.n; i += 3) setLabel(db, m.candids[i], m.X[i * m.d + drb] > 0.95 ? 'gal' : 'extragal');
    await run('train', '--engine', 'hgb', '--features', 'seed', '--folds', '2', '--repeats', '1', '--out', f('m.json'), '--onnx', f('m.onnx'));
  }, 300_000);
  afterAll(() => db?.close());

  it('scores every alert; ONNX Runtime equals the app within 1e-5 and the JSON model equals it exactly', async () => {
    const said = await run('score', '--model', f('m.onnx'), '--out', f('onnx.csv'));
    expect(said).toMatch(/scored 377 alerts/);
    await run('score', '--model', f('m.json'), '--out', f('json.csv'));
    const onnx = readCsv(f('onnx.csv'));
    const json = readCsv(f('json.csv'));
    expect(Object.keys(onnx[0])).toEqual(['candid', 'objectId', 'night', 'p_not_galactic', 'p_galactic', 'predicted']);
    expect(Object.keys(json[0])).toEqual(['candid', 'objectId', 'night', 'p_class0', 'p_class1', 'predicted']);

    // The app's own probabilities, computed here from the store and the JSON model.
    const model = classifierFromJSON(JSON.parse(readFileSync(f('m.json'), 'utf8')));
    const m = loadFeatureMatrix(db);
    const p = model.predictProba(m.X, m.n);
    const night = db.prepare('SELECT night FROM alerts WHERE candid = ?');
    expect(onnx.map((r) => r.candid)).toEqual(m.candids);
    let maxDiff = 0;
    let positives = 0;
    onnx.forEach((r, i) => {
      expect(r.objectId).toBe(m.objectIds[i]);
      expect(r.night).toBe((night.get(r.candid) as { night: string }).night);
      maxDiff = Math.max(maxDiff, Math.abs(Number(r.p_galactic) - p[2 * i + 1]), Math.abs(Number(r.p_not_galactic) - p[2 * i]));
      expect(Number(json[i].p_class1)).toBe(p[2 * i + 1]);
      const k = p[2 * i + 1] > p[2 * i] ? 1 : 0;
      expect(r.predicted).toBe(['not galactic', 'galactic'][k]);
      positives += k;
    });
    expect(maxDiff).toBeLessThan(1e-5);
    expect(positives).toBeGreaterThan(0);
    expect(positives).toBeLessThan(m.n);
  });

  it('through the service (web mode, the app) it writes under the app folder only: no caller chooses the path', async () => {
    const service = openService({ dbPath, homeDir: home });
    try {
      await expect(dispatch(service.handlers, 'model.score', { model: f('m.onnx'), out: f('elsewhere.csv') })).rejects.toMatchObject({
        code: 'invalid_input',
      });
      const { jobId } = (await dispatch(service.handlers, 'model.score', { model: f('m.onnx') })) as { jobId: string };
      await service.ctx.jobs.idle();
      const j = service.ctx.jobs.get(jobId)!;
      expect(j.state).toBe('done');
      const out = (j.result as { out: string }).out;
      expect(out.startsWith(join(service.ctx.artifactsDir, 'scores'))).toBe(true);
      expect(readCsv(out)).toEqual(readCsv(f('onnx.csv')));
    } finally {
      await service.close();
    }
  });

  it('--night keeps that night only; files given directly are scored without entering the store', async () => {
    await run('score', '--model', f('m.onnx'), '--night', '2021-11-22', '--out', f('night.csv'));
    const rows = readCsv(f('night.csv'));
    const want = (db.prepare("SELECT COUNT(*) AS n FROM alerts WHERE night = '2021-11-22'").get() as { n: number }).n;
    expect(want).toBeGreaterThan(0);
    expect(rows.length).toBe(want);
    expect(rows.every((r) => r.night === '2021-11-22')).toBe(true);

    const before = (db.prepare('SELECT COUNT(*) AS n FROM alerts').get() as { n: number }).n;
    const said = await run('score', '--model', f('m.onnx'), '--out', f('file.csv'), join(FINK_ZTF, 'tde_ZTF20abfcszi_202008.parquet'));
    expect(said).toMatch(/read 21 alerts from 1 file/);
    const fromFile = readCsv(f('file.csv'));
    expect(fromFile.length).toBe(21);
    const all = new Map(readCsv(f('onnx.csv')).map((r) => [r.candid, r]));
    for (const r of fromFile) expect(r.p_galactic, r.candid).toBe(all.get(r.candid)?.p_galactic);
    expect((db.prepare('SELECT COUNT(*) AS n FROM alerts').get() as { n: number }).n).toBe(before);
  });

  it('an extended-set model: its ONNX records fx1 and the 33 names; finkvra score scores it as the app (ONNX within 1e-5, JSON exactly)', async () => {
    await run('train', '--engine', 'hrf', '--features', 'extended', '--folds', '2', '--repeats', '1', '--out', f('x.json'), '--onnx', f('x.onnx'));
    const scorer = await loadOnnxScorer(f('x.onnx'));
    await scorer.close();
    expect(scorer.meta.featureSet).toBe(EXTENDED_SET_VERSION);
    expect(scorer.meta.featureNames).toEqual([...EXTENDED_FEATURE_NAMES]);
    await run('score', '--model', f('x.onnx'), '--out', f('x-onnx.csv'));
    await run('score', '--model', f('x.json'), '--out', f('x-json.csv'));
    const onnx = readCsv(f('x-onnx.csv'));
    const json = readCsv(f('x-json.csv'));
    const model = classifierFromJSON(JSON.parse(readFileSync(f('x.json'), 'utf8')));
    const m = loadFeatureMatrix(db, { featureSet: 'extended' });
    const p = model.predictProba(m.X, m.n);
    expect(onnx.map((r) => r.candid)).toEqual(m.candids);
    let maxDiff = 0;
    onnx.forEach((r, i) => {
      maxDiff = Math.max(maxDiff, Math.abs(Number(r.p_galactic) - p[2 * i + 1]));
      expect(Number(json[i].p_class1)).toBe(p[2 * i + 1]);
    });
    expect(maxDiff).toBeLessThan(1e-5);
    // The seed-set model is not scored on the extended features, nor the reverse: the names must match in order.
    const swapped = withMeta(f('x.onnx'), 'finkvra.feature_set', FEATURE_SET_VERSION, f('x-fs1.onnx'));
    await expect(run('score', '--model', swapped, '--out', f('y.csv'))).rejects.toThrow(/field feature_names: the model reads 33 features; this store's feature set fs1 has 21/);
  });

  it('refuses a model of another feature set, another survey, or other features, naming the file and field', async () => {
    const fs9 = withMeta(f('m.onnx'), 'finkvra.feature_set', 'fs9', f('fs9.onnx'));
    await expect(run('score', '--model', fs9, '--out', f('x.csv'))).rejects.toThrow(
      `${fs9}: field feature_set: the model uses feature set fs9; this store's features are fs1`,
    );
    const lsst = withMeta(f('m.onnx'), 'finkvra.survey', 'lsst', f('lsst.onnx'));
    await expect(run('score', '--model', lsst, '--out', f('x.csv'))).rejects.toThrow(/field survey: the model was trained on lsst alerts; this store holds ztf/);
    const j = JSON.parse(readFileSync(f('m.json'), 'utf8')) as { featureNames: string[] };
    j.featureNames[2] = 'something_else';
    writeFileSync(f('other.json'), JSON.stringify(j));
    await expect(run('score', '--model', f('other.json'), '--out', f('x.csv'))).rejects.toThrow(
      /other\.json: field feature_names: feature 3 of the model is not the store's drb/,
    );
    await expect(run('train', '--engine', 'mlrf', '--onnx', f('no.onnx'))).rejects.toThrow(/mlrf engine cannot be exported to ONNX/);
  });
});
