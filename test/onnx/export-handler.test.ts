/** model.exportOnnx: a tracked round's model as ONNX, checked by ONNX Runtime on the store. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../core/api/context.js';
import { modelHandlers } from '../../core/api/handlers/model.js';
import { JobRegistry } from '../../core/api/jobs.js';
import { EXTENDED_FEATURE_NAMES, EXTENDED_SET_VERSION } from '../../core/features/names.js';
import { classifierFromJSON } from '../../core/learn/classifier.js';
import { loadOnnxScorer } from '../../core/learn/onnx/runtime.js';
import { runRound } from '../../core/loop/round.js';
import { loadFeatureMatrix } from '../../core/store/features.js';
import { setLabel } from '../../core/store/labels.js';
import { updateSettings } from '../../core/store/settings.js';
import { readArtifact } from '../../core/track/tracker.js';
import { cid, makeStore, separableAlerts } from '../loop/fixture.js';

let ctx: ServiceContext | null = null;
afterEach(async () => {
  await ctx?.jobs.idle();
  ctx?.db.close();
  ctx = null;
});

async function storeWithRounds(engine: 'hgb' | 'hrf' | 'mlrf', featureSet: 'seed' | 'extended' = 'seed'): Promise<{ ctx: ServiceContext; runId: string }> {
  const s = makeStore(separableAlerts(80));
  updateSettings(s.db, s.dbPath, { n0: 10, n: 5, engine, featureSet });
  ctx = { db: s.db, dbPath: s.dbPath, jobs: new JobRegistry(), homeDir: s.dir, artifactsDir: join(s.dir, 'artifacts') };
  for (let i = 0; i < 30; i++) setLabel(s.db, cid(i), i % 2 === 0 ? 'gal' : 'extragal');
  const o = { artifactsRoot: ctx.artifactsDir, inline: true, cvFolds: 2, importanceRepeats: 1 };
  await runRound(s.db, s.dbPath, o);
  const r = await runRound(s.db, s.dbPath, o);
  if (!r.runId) throw new Error('the round logged no run');
  return { ctx, runId: r.runId };
}

/** The exported file as ONNX Runtime loads it: its metadata, and its largest |probability − the run's model's| on the store. */
async function runExported(c: ServiceContext, runId: string, r: { filename: string; base64: string }, featureSet: 'seed' | 'extended') {
  const file = join(c.homeDir, r.filename);
  writeFileSync(file, Buffer.from(r.base64, 'base64'));
  const scorer = await loadOnnxScorer(file);
  const model = classifierFromJSON(JSON.parse(readArtifact(c.db, runId, 'model.json')!.toString('utf8')));
  const m = loadFeatureMatrix(c.db, { featureSet });
  const want = model.predictProba(m.X, m.n);
  const got = await scorer.predictProba(m.X, m.n);
  await scorer.close();
  let maxDiff = 0;
  for (let i = 0; i < want.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - want[i]));
  return { meta: scorer.meta, maxDiff };
}

describe('model.exportOnnx', () => {
  it("exports the latest run's model: ONNX Runtime gives its probabilities on the store, metadata names the run", async () => {
    const { ctx: c, runId } = await storeWithRounds('hgb');
    const h = modelHandlers(c);
    const r = await h['model.exportOnnx']({});
    expect(r.runId).toBe(runId);
    expect(r.filename).toMatch(/^finkvra-gal-hgb-.*\.onnx$/);
    const { meta, maxDiff } = await runExported(c, runId, r, 'seed');
    expect(meta).toMatchObject({ runId, task: 'gal', survey: 'ztf', featureSet: 'fs1', classNames: ['not galactic', 'galactic'] });
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it("exports a run of the extended set: metadata fx1 and its 33 names, ONNX Runtime gives the run's probabilities", async () => {
    const { ctx: c, runId } = await storeWithRounds('hrf', 'extended');
    const r = await modelHandlers(c)['model.exportOnnx']({});
    const { meta, maxDiff } = await runExported(c, runId, r, 'extended');
    expect(meta).toMatchObject({ runId, featureSet: EXTENDED_SET_VERSION, featureNames: [...EXTENDED_FEATURE_NAMES] });
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('says clearly that an mlrf model cannot be exported, and that a store without runs has no model', async () => {
    const { ctx: c } = await storeWithRounds('mlrf');
    await expect(async () => modelHandlers(c)['model.exportOnnx']({})).rejects.toMatchObject({
      code: 'not_exportable',
      message: expect.stringMatching(/mlrf.*cannot be exported to ONNX/),
    });
    await expect(async () => modelHandlers(c)['model.exportOnnx']({ runId: 'ffffffff' })).rejects.toMatchObject({ code: 'not_found' });
    updateSettings(c.db, c.dbPath, { task: 'real' });
    await expect(async () => modelHandlers(c)['model.exportOnnx']({})).rejects.toMatchObject({ code: 'not_found' });
  });
});
