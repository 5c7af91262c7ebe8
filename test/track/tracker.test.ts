import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { schemaVersion } from '../../core/store/database.js';
import { ParamChangeError, RunNotFoundError, InvalidNameError, TrackError } from '../../core/track/errors.js';
import {
  compareRuns,
  endRun,
  experimentRunIds,
  getOrCreateExperiment,
  getRun,
  listExperiments,
  listRuns,
  logMetric,
  logMetrics,
  logParams,
  metricHistory,
  resolveRunId,
  setTags,
  startRun,
  withRun,
  artifactsRootFor,
} from '../../core/track/tracker.js';
import { trackFixture, type TrackFixture } from './helpers.js';

let f: TrackFixture;
beforeEach(() => {
  f = trackFixture();
});
afterEach(() => f.cleanup());

const start = (name: string, experiment = 'gal_least_confidence', startTime?: number): string =>
  startRun(f.db, { experiment, name, artifactsRoot: f.artifactsRoot, startTime });

describe('schema and experiments', () => {
  it('migration 003 is applied and creates the five tables', () => {
    expect(schemaVersion(f.db)).toBeGreaterThanOrEqual(3);
    const tables = (f.db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map(
      (t) => t.name,
    );
    for (const t of ['experiments', 'runs', 'params', 'metrics', 'tags']) expect(tables).toContain(t);
  });

  it('getOrCreateExperiment creates once, with artifact location <root>/<id>', () => {
    const a = getOrCreateExperiment(f.db, 'gal_margin', f.artifactsRoot);
    const b = getOrCreateExperiment(f.db, 'gal_margin', '/somewhere/else');
    const c = getOrCreateExperiment(f.db, 'real_entropy', f.artifactsRoot);
    expect(b).toEqual(a);
    expect(c.id).not.toBe(a.id);
    expect(a.artifactLocation).toBe(join(f.artifactsRoot, String(a.id)));
    expect(listExperiments(f.db).map((e) => [e.name, e.runs])).toEqual([
      ['gal_margin', 0],
      ['real_entropy', 0],
    ]);
  });

  it('artifactsRootFor puts artifacts beside the database', () => {
    expect(artifactsRootFor('/data/x/finkvra.sqlite')).toBe('/data/x/artifacts');
  });
});

describe('run lifecycle', () => {
  it('starts RUNNING with a 32-hex id and ends FINISHED/FAILED with an end time', () => {
    const id = start('round_0_least_confidence', 'gal_least_confidence', 1_700_000_000_000);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    let r = getRun(f.db, id);
    expect(r.status).toBe('RUNNING');
    expect(r.startTime).toBe(1_700_000_000_000);
    expect(r.startedAt).toBe('2023-11-14T22:13:20.000Z');
    expect(r.finishedAt).toBeNull();
    expect(r.artifactUri).toBe(join(f.artifactsRoot, String(r.experimentId), id, 'artifacts'));
    endRun(f.db, id, 'FINISHED', 1_700_000_060_000);
    r = getRun(f.db, id);
    expect(r.status).toBe('FINISHED');
    expect(r.endTime).toBe(1_700_000_060_000);
    expect(r.finishedAt).toBe('2023-11-14T22:14:20.000Z');
    const id2 = start('round_1_least_confidence');
    endRun(f.db, id2, 'FAILED');
    expect(getRun(f.db, id2).status).toBe('FAILED');
  });

  it('refuses unknown runs and bad statuses', () => {
    expect(() => logMetric(f.db, 'f'.repeat(32), 'x', 1)).toThrow(RunNotFoundError);
    expect(() => getRun(f.db, 'nope')).toThrow(RunNotFoundError);
    const id = start('r');
    expect(() => endRun(f.db, id, 'RUNNING' as 'FINISHED')).toThrow(TrackError);
    expect(() => endRun(f.db, id, 'DONE' as 'FINISHED')).toThrow(TrackError);
  });

  it('withRun ends FINISHED on success and FAILED (with an error tag) on throw', async () => {
    const opts = { experiment: 'sim', name: 'cell_1', artifactsRoot: f.artifactsRoot };
    let seen = '';
    const out = await withRun(f.db, opts, (id) => {
      seen = id;
      return 42;
    });
    expect(out).toBe(42);
    expect(getRun(f.db, seen).status).toBe('FINISHED');
    await expect(
      withRun(f.db, { ...opts, name: 'cell_2' }, (id) => {
        seen = id;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const failed = getRun(f.db, seen);
    expect(failed.status).toBe('FAILED');
    expect(failed.tags.error).toBe('boom');
  });

  it('startRun with tags and params writes them in the same transaction', () => {
    const id = startRun(f.db, {
      experiment: 'e',
      name: 'r',
      artifactsRoot: f.artifactsRoot,
      tags: { task: 'gal' },
      params: { seed: 7 },
    });
    const r = getRun(f.db, id);
    expect(r.tags).toEqual({ task: 'gal' });
    expect(r.params).toEqual({ seed: '7' });
  });

  it('a failing startRun leaves no run behind (transaction rolled back)', () => {
    expect(() =>
      startRun(f.db, { experiment: 'e', name: 'r', artifactsRoot: f.artifactsRoot, params: { '../x': 1 } }),
    ).toThrow(InvalidNameError);
    expect(
      () => startRun(f.db, { experiment: 'e2', name: 'r', artifactsRoot: f.artifactsRoot, tags: { 'a\\b': 'x' } }),
    ).toThrow(InvalidNameError);
    expect((f.db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n).toBe(0);
    expect((f.db.prepare('SELECT COUNT(*) AS n FROM experiments').get() as { n: number }).n).toBe(0);
  });
});

describe('params', () => {
  it('are stored as strings and immutable: same value ok, other value refused, batch atomic', () => {
    const id = start('r');
    logParams(f.db, id, { n0: 30, lr: 0.1, balanced: true, engine: 'hgb' });
    logParams(f.db, id, { n0: 30, engine: 'hgb' }); // same values again: no-op
    expect(() => logParams(f.db, id, { n0: 31 })).toThrow(ParamChangeError);
    // the batch containing a change is refused whole: 'extra' must not be stored
    expect(() => logParams(f.db, id, { extra: 1, engine: 'mlrf' })).toThrow(ParamChangeError);
    expect(getRun(f.db, id).params).toEqual({ balanced: 'true', engine: 'hgb', lr: '0.1', n0: '30' });
  });

  it('validate keys like MLflow does', () => {
    const id = start('r');
    for (const bad of ['', '..', 'a/../b', '/abs', 'a\\b', 'semi;colon', 'a//b', 'x'.repeat(251)]) {
      expect(() => logParams(f.db, id, { [bad]: 1 }), bad).toThrow(InvalidNameError);
    }
    logParams(f.db, id, { 'model/max_depth': 3, 'with space': 'ok', 'a.b-c_d': 1 });
    expect(Object.keys(getRun(f.db, id).params).sort()).toEqual(['a.b-c_d', 'model/max_depth', 'with space']);
  });
});

describe('metrics', () => {
  it('keep every point by step; latest is the largest (step, timestamp, value)', () => {
    const id = start('r');
    logMetric(f.db, id, 'auc', 0.7, 0, 1000);
    logMetric(f.db, id, 'auc', 0.9, 2, 1001);
    logMetric(f.db, id, 'auc', 0.8, 1, 1002); // logged later but an earlier step
    logMetrics(f.db, id, { acc: 0.5, loss: 1.5 }, 0, 1003);
    logMetric(f.db, id, 'acc', 0.6, 0, 1003); // same step and time: larger value wins (MLflow)
    logMetric(f.db, id, 'loss', 1.2, 0, 1004); // same step, later time wins
    const h = metricHistory(f.db, id, 'auc');
    expect(h).toEqual([
      { key: 'auc', step: 0, value: 0.7, timestamp: 1000 },
      { key: 'auc', step: 1, value: 0.8, timestamp: 1002 },
      { key: 'auc', step: 2, value: 0.9, timestamp: 1001 },
    ]);
    const r = getRun(f.db, id);
    expect(r.metrics).toEqual({ acc: 0.6, auc: 0.9, loss: 1.2 });
    expect(r.metricHistory).toHaveLength(7);
  });

  it('accept NaN and infinities; refuse non-numbers and fractional steps', () => {
    const id = start('r');
    logMetrics(f.db, id, { auc: Number.NaN, big: Infinity, small: -Infinity }, 0, 5);
    const r = getRun(f.db, id);
    expect(Number.isNaN(r.metrics.auc)).toBe(true);
    expect(r.metrics.big).toBe(Infinity);
    expect(r.metrics.small).toBe(-Infinity);
    expect(() => logMetric(f.db, id, 'x', '1' as unknown as number)).toThrow(TrackError);
    expect(() => logMetric(f.db, id, 'x', 1, 1.5)).toThrow(TrackError);
  });
});

describe('tags', () => {
  it('are mutable', () => {
    const id = start('r');
    setTags(f.db, id, { note: 'first', task: 'gal' });
    setTags(f.db, id, { note: 'second' });
    expect(getRun(f.db, id).tags).toEqual({ note: 'second', task: 'gal' });
  });
});

describe('listing and comparing', () => {
  function threeRuns(): string[] {
    const ids = [0, 1, 2].map((r) => {
      const id = start(`round_${r}_least_confidence`, 'gal_least_confidence', 1000 + r);
      logParams(f.db, id, { round: r, strategy: 'least_confidence', engine: 'hgb', n_train: 30 + 10 * r });
      logMetric(f.db, id, 'roc_auc', 0.6 + r / 10);
      endRun(f.db, id);
      return id;
    });
    return ids;
  }

  it('lists newest first with latest metrics and summary fields, filtered by experiment', () => {
    const ids = threeRuns();
    const other = start('cell_1', 'sim', 999);
    const runs = listRuns(f.db);
    expect(runs.map((r) => r.runId)).toEqual([ids[2], ids[1], ids[0], other]);
    const r1 = runs[1];
    expect(r1).toMatchObject({
      experiment: 'gal_least_confidence',
      name: 'round_1_least_confidence',
      round: 1,
      strategy: 'least_confidence',
      engine: 'hgb',
      nTrain: 40,
      status: 'FINISHED',
      metrics: { roc_auc: 0.7 },
    });
    expect(listRuns(f.db, { experiment: 'sim' }).map((r) => r.runId)).toEqual([other]);
    expect(listRuns(f.db, { limit: 2 })).toHaveLength(2);
    expect(() => listRuns(f.db, { experiment: 'missing' })).toThrow(TrackError);
    expect(experimentRunIds(f.db, 'gal_least_confidence')).toEqual(ids);
  });

  it('orders runs started in the same millisecond by creation', () => {
    const a = start('a', 'e', 5);
    const b = start('b', 'e', 5);
    const c = start('c', 'e', 5);
    expect(listRuns(f.db).map((r) => r.runId)).toEqual([c, b, a]);
  });

  it('reads round and strategy from the run name when params are absent; -1 when unknown', () => {
    const id = start('round_4_entropy');
    const other = start('cell_3');
    const byId = new Map(listRuns(f.db).map((r) => [r.runId, r]));
    expect(byId.get(id)).toMatchObject({ round: 4, strategy: 'entropy', engine: '', nTrain: -1 });
    expect(byId.get(other)).toMatchObject({ round: -1, strategy: '' });
    logMetric(f.db, other, 'n_train', 120);
    expect(getRun(f.db, other).nTrain).toBe(120);
  });

  it('compares params and latest metrics side by side', () => {
    const ids = threeRuns();
    const extra = start('x', 'gal_least_confidence', 5000);
    logParams(f.db, extra, { engine: 'hgb', only_here: 'yes' });
    const c = compareRuns(f.db, [ids[0], ids[2], extra]);
    expect(c.runs.map((r) => r.runId)).toEqual([ids[0], ids[2], extra]);
    const p = Object.fromEntries(c.params.map((x) => [x.key, x]));
    expect(p.engine).toEqual({ key: 'engine', values: ['hgb', 'hgb', 'hgb'], differs: false });
    expect(p.round).toEqual({ key: 'round', values: ['0', '2', null], differs: true });
    expect(p.only_here.values).toEqual([null, null, 'yes']);
    expect(c.params.map((x) => x.key)).toEqual(['engine', 'n_train', 'only_here', 'round', 'strategy']);
    expect(c.metrics).toEqual([{ key: 'roc_auc', values: [0.6, 0.8, null] }]);
    expect(() => compareRuns(f.db, [ids[0], '0'.repeat(32)])).toThrow(RunNotFoundError);
  });

  it('resolves unique id prefixes', () => {
    const ids = threeRuns();
    expect(resolveRunId(f.db, ids[1])).toBe(ids[1]);
    expect(resolveRunId(f.db, ids[1].slice(0, 12).toUpperCase())).toBe(ids[1]);
    expect(() => resolveRunId(f.db, 'abc')).toThrow(RunNotFoundError); // too short
    expect(() => resolveRunId(f.db, 'zzzzzz')).toThrow(RunNotFoundError);
  });
});
