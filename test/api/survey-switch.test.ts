/**
 * Switching survey through settings.set (featureSet) on a mixed store (real ZTF + real LSST): the loop then shows
 * and starts the chosen survey's round, switching back finds the other survey's batch as it was, and runs.list names
 * each run's survey and feature set.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../core/api/context.js';
import { dataHandlers } from '../../core/api/handlers/data.js';
import { loopHandlers } from '../../core/api/handlers/loop.js';
import { JobRegistry } from '../../core/api/jobs.js';
import { advanceLoop } from '../../core/api/loop-advance.js';
import { FEATURE_SET_SURVEY, FEATURE_SETS } from '../../core/features/names.js';
import { featureSetsOf, SURVEY_DEFAULT_FEATURE_SET } from '../../core/settings-rules.js';
import { updateSettings } from '../../core/store/settings.js';
import { mixedOrSkipReason, mixedStore } from '../loop/mixed-store.js';

const HAS = mixedOrSkipReason('survey-switch');

let ctx: ServiceContext | null = null;
afterEach(async () => {
  await ctx?.jobs.idle();
  ctx?.db.close();
  ctx = null;
});

describe('survey choice rules', () => {
  it('each feature set is offered under its survey only, and a switch picks a set of that survey', () => {
    expect(featureSetsOf('ztf')).toEqual(['seed', 'extended']);
    expect(featureSetsOf('lsst')).toEqual(['lsst']);
    expect([...featureSetsOf('ztf'), ...featureSetsOf('lsst')].sort()).toEqual([...FEATURE_SETS].sort());
    for (const [survey, set] of Object.entries(SURVEY_DEFAULT_FEATURE_SET)) expect(FEATURE_SET_SURVEY[set]).toBe(survey);
  });
});

describe.skipIf(!HAS)('switching survey in a mixed store', () => {
  it('starts and shows the chosen survey’s round; the other survey’s batch stays as it was', async () => {
    const s = await mixedStore();
    updateSettings(s.db, s.dbPath, { featureSet: 'extended', n0: 5, n: 3 });
    ctx = { db: s.db, dbPath: s.dbPath, jobs: new JobRegistry(), homeDir: s.dir, artifactsDir: join(s.dir, 'artifacts') };
    const h = { ...loopHandlers(ctx, { inline: true, cvFolds: 3, importanceRepeats: 1 }), ...dataHandlers(ctx) };
    const surveyOf = ctx.db.prepare('SELECT survey FROM alerts WHERE candid = ?').pluck();

    advanceLoop(ctx); // as opening the service does
    await ctx.jobs.idle();
    const ztf = await h['loop.state']({});
    expect(ztf).toMatchObject({ survey: 'ztf', featureSet: 'extended', round: 0 });
    expect(new Set(ztf.batch.map((b) => surveyOf.get(b.candid)))).toEqual(new Set(['ztf']));

    const saved = await h['settings.set']({ featureSet: 'lsst' });
    expect(saved.featureSet).toBe('lsst');
    await ctx.jobs.idle();
    const lsst = await h['loop.state']({});
    expect(lsst).toMatchObject({ survey: 'lsst', featureSet: 'lsst', round: 1 });
    expect(lsst.batch).toHaveLength(5);
    expect(new Set(lsst.batch.map((b) => surveyOf.get(b.candid)))).toEqual(new Set(['lsst']));

    await h['settings.set']({ featureSet: 'seed' });
    await ctx.jobs.idle();
    const back = await h['loop.state']({});
    expect(back).toMatchObject({ survey: 'ztf', featureSet: 'seed', round: 0 });
    expect(back.batch.map((b) => b.candid)).toEqual(ztf.batch.map((b) => b.candid));
  });

  it('runs.list names each run’s survey and feature set', async () => {
    const s = await mixedStore();
    updateSettings(s.db, s.dbPath, { featureSet: 'lsst', n0: 4, n: 2 });
    ctx = { db: s.db, dbPath: s.dbPath, jobs: new JobRegistry(), homeDir: s.dir, artifactsDir: join(s.dir, 'artifacts') };
    const h = { ...loopHandlers(ctx, { inline: true, cvFolds: 2, importanceRepeats: 1 }), ...dataHandlers(ctx) };
    h['loop.startRound']({});
    await ctx.jobs.idle();
    const st = await h['loop.state']({});
    for (const [i, b] of st.batch.entries()) await h['labels.set']({ candid: b.candid, label: i % 2 ? 'gal' : 'extragal' });
    await ctx.jobs.idle();
    const runs = await h['runs.list']({});
    expect(runs.length).toBe(1);
    expect(runs[0]).toMatchObject({ featureSet: 'lsst', survey: 'lsst' });
  });
});
