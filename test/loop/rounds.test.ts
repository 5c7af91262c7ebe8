import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPool, loadTrainingSet } from '../../core/loop/pool.js';
import { runRound } from '../../core/loop/round.js';
import { latestRound, listRounds, recordRound } from '../../core/loop/rounds.js';
import { selectBatch } from '../../core/loop/select.js';
import { activeBatch } from '../../core/loop/state.js';
import { DEFAULT_CLASS_MAPS, type Label } from '../../core/labels.js';
import type { Db } from '../../core/store/database.js';
import { setLabel, skipAlert } from '../../core/store/labels.js';
import { updateSettings } from '../../core/store/settings.js';
import { getRun, runArtifactDir } from '../../core/track/tracker.js';
import { cid, makeStore, separableAlerts } from './fixture.js';

let db: Db | null = null;
afterEach(() => db?.close());

const isGal = (i: number) => i % 2 === 0;
const indexOf = (candid: string) => Number(BigInt(candid) - 1700000000000000000n);

describe('pool and training set', () => {
  it('pool excludes labelled, skipped and ndets == 0 alerts; NaN classes are stored but not counted', () => {
    const s = makeStore(separableAlerts(40));
    db = s.db;
    const zero = separableAlerts(40).filter((a) => a.ndets === 0).map((a) => a.candid);
    expect(zero.length).toBeGreaterThan(0);
    setLabel(db, cid(0), 'gal');
    setLabel(db, cid(1), 'extragal');
    setLabel(db, cid(2), 'bogus'); // NaN for the gal task
    skipAlert(db, cid(3));
    const pool = loadPool(db);
    expect(pool.n).toBe(40 - zero.length - 4);
    for (const c of [cid(0), cid(1), cid(2), cid(3), ...zero]) expect(pool.candids).not.toContain(c);
    const ts = loadTrainingSet(db, DEFAULT_CLASS_MAPS.gal);
    expect(ts.candids.sort()).toEqual([cid(0), cid(1)].sort());
    expect(ts.notCounted).toBe(1);
    expect(Array.from(ts.y)).toEqual(ts.candids.map((c) => (c === cid(0) ? 1 : 0)));
    // For the real/bogus task, bogus counts (class 0).
    expect(loadTrainingSet(db, DEFAULT_CLASS_MAPS.real).n).toBe(3);
  });
});

describe('activeBatch: labels of NaN classes do not count towards the batch', () => {
  it('brings in one reserve proposal per NaN-class label, up to the reserve', () => {
    const props = ['a', 'b', 'c', 'd', 'e', 'f'].map((candid) => ({ candid }));
    const gal = DEFAULT_CLASS_MAPS.gal;
    const ids = (m: Map<string, Label>, n: number | null) =>
      activeBatch(props, n, m, gal).map((p) => p.candid);
    expect(ids(new Map(), 3)).toEqual(['a', 'b', 'c']);
    expect(ids(new Map([['b', 'bogus']]), 3)).toEqual(['a', 'b', 'c', 'd']);
    expect(ids(new Map([['b', 'bogus'], ['d', 'real'], ['a', 'gal']]), 3)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(ids(new Map([['a', 'bogus'], ['b', 'bogus'], ['c', 'bogus'], ['d', 'bogus']]), 3)).toEqual(props.map((p) => p.candid));
    // For the real task bogus counts (class 0): no extension.
    expect(activeBatch(props, 3, new Map([['b', 'bogus']]), DEFAULT_CLASS_MAPS.real).map((p) => p.candid)).toEqual(['a', 'b', 'c']);
    expect(ids(new Map(), null)).toHaveLength(6);
  });
});

describe('batch selection', () => {
  it('ranks by least confidence (sorted, unlike the seed) with no duplicates and one alert per object', () => {
    // p1 per row; rows 0 and 1 share an object.
    const p1 = [0.5, 0.52, 0.9, 0.3, 0.6, 0.05];
    const proba = new Float64Array(p1.flatMap((p) => [1 - p, p]));
    const objectIds = ['A', 'A', 'B', 'C', 'D', 'E'];
    const picks = selectBatch({ strategy: 'least_confidence', count: 4, seed: 1, n: 6, objectIds, proba });
    // 1 − max p: 0.5, 0.48, 0.1, 0.3, 0.4, 0.05 → order 0,1,4,3,2,5; row 1 deferred (same object as 0).
    expect(picks.map((p) => p.index)).toEqual([0, 4, 3, 2]);
    expect(new Set(picks.map((p) => p.index)).size).toBe(4);
  });
});

describe('rounds', () => {
  it('round 0 picks N0 alerts of the busiest night; round 1 trains, logs the run and proposes N new alerts', async () => {
    const s = makeStore(separableAlerts(150));
    db = s.db;
    updateSettings(db, s.dbPath, { n0: 30, n: 6 });
    const artifactsRoot = join(s.dir, 'artifacts');
    const r0 = await runRound(db, s.dbPath, { artifactsRoot, inline: true });
    expect(r0.round.round).toBe(0);
    expect(r0.round.night).toBe('2021-11-23'); // 2 nights of 3 rows go there
    expect(r0.proposals).toHaveLength(30);
    expect(r0.reserve).toHaveLength(30);
    expect(r0.reserve.some((p) => r0.proposals.some((q) => q.candid === p.candid))).toBe(false);
    expect(new Set(r0.proposals.map((p) => p.candid)).size).toBe(30);
    expect(new Set(r0.proposals.map((p) => p.objectId)).size).toBe(30);
    for (const p of r0.proposals) {
      const i = indexOf(p.candid);
      expect(i % 3).not.toBe(0); // night 2021-11-23
      expect(i % 17).not.toBe(5); // ndets > 0
    }
    // Label the batch; two bogus labels do not count for the gal task.
    r0.proposals.forEach((p, k) => setLabel(db!, p.candid, k < 2 ? 'bogus' : isGal(indexOf(p.candid)) ? 'gal' : 'extragal'));
    const r1 = await runRound(db, s.dbPath, { artifactsRoot, inline: true, cvFolds: 3, importanceRepeats: 2 });
    expect(r1.round.round).toBe(1);
    expect(r1.fallback).toBeNull();
    expect(r1.nTrain).toBe(28);
    expect(r1.proposals).toHaveLength(6);
    const labelled = new Set(r0.proposals.map((p) => p.candid));
    for (const p of r1.proposals) {
      expect(labelled.has(p.candid)).toBe(false);
      expect(indexOf(p.candid) % 17).not.toBe(5);
    }
    expect(new Set(r1.proposals.map((p) => p.candid)).size).toBe(6);
    // Least-confidence scores never increase down the batch's ranking (up to the object de-duplication).
    const scores = r1.proposals.map((p) => p.score!);
    expect(scores.every((v) => v >= 0 && v <= 0.5)).toBe(true);
    expect(scores[0]).toBe(Math.max(...scores));
    // The run of round 1: trained on round 0's labels.
    const run = getRun(db, r1.runId!);
    expect(run.name).toBe('round_1_least_confidence');
    expect(run.params.n_train).toBe('28');
    expect(run.metrics.cv_accuracy).toBeGreaterThanOrEqual(0.8); // separable on dets_median
    expect(run.metrics.train_accuracy).toBeGreaterThanOrEqual(run.metrics.cv_accuracy - 1e-9);
    expect(run.confusion?.flat().reduce((a, b) => a + b, 0)).toBe(28);
    expect(run.importance[0].feature).toBe('dets_median');
    expect(run.balance?.train['label:bogus']).toBe(2);
    // Round 0's batch as labelled: 2 bogus (not counted) brought in 2 reserve alerts, still unlabelled.
    expect(run.balance?.batch['labelled:bogus']).toBe(2);
    expect(run.balance?.batch['labelled class:not counted']).toBe(2);
    expect(run.balance?.batch['labelled:(none)']).toBe(2);
    expect(run.balance!.batch['labelled class:galactic'] + run.balance!.batch['labelled class:not galactic']).toBe(28);
    expect((run.balance!.batch['predicted:galactic'] ?? 0) + (run.balance!.batch['predicted:not galactic'] ?? 0)).toBe(6);
    expect(run.balance!.poolPredicted.galactic + run.balance!.poolPredicted['not galactic']).toBeCloseTo(1, 12);
    expect(run.balance!.train['class:galactic'] + run.balance!.train['class:not galactic']).toBe(28);
    const dir = runArtifactDir(db, r1.runId!);
    for (const f of ['model.json', 'training_ids.csv', 'X_train.csv', 'y_train.csv', 'importance.csv', 'meta.json', 'balance.json']) {
      expect(existsSync(join(dir, f))).toBe(true);
    }
    const ids = readFileSync(join(dir, 'training_ids.csv'), 'utf8').trim().split('\n');
    expect(ids[0]).toBe('candid,round');
    expect(ids).toHaveLength(29);
    expect(ids.slice(1).every((l) => l.endsWith(',0'))).toBe(true);
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { round: number; n_train: number; strategy: string };
    expect(meta).toMatchObject({ round: 1, n_train: 28, strategy: 'least_confidence' });
    expect(listRounds(db, 'gal').map((r) => [r.round, r.runId])).toEqual([
      [0, null],
      [1, r1.runId],
    ]);
  });

  it('falls back to a random pick with a reason when only one class is labelled', async () => {
    const s = makeStore(separableAlerts(30));
    db = s.db;
    updateSettings(db, s.dbPath, { n0: 5, n: 4 });
    const artifactsRoot = join(s.dir, 'artifacts');
    const r0 = await runRound(db, s.dbPath, { artifactsRoot, inline: true });
    for (const p of r0.proposals) setLabel(db, p.candid, 'gal');
    const r1 = await runRound(db, s.dbPath, { artifactsRoot, inline: true });
    expect(r1.fallback).toMatch(/only class 'galactic' is labelled/);
    expect(r1.round.strategy).toBe('random');
    expect(r1.proposals).toHaveLength(4);
    expect(r1.proposals.every((p) => p.prob === null && p.reason.includes('needs both classes'))).toBe(true);
    expect(getRun(db, r1.runId!).name).toBe('round_1_random');
  });

  it('refuses a batch with a duplicate candid and a taken round number', () => {
    const s = makeStore(separableAlerts(5));
    db = s.db;
    const base = { task: 'gal' as const, strategy: 'random', runId: null, night: null, nTrain: 0, warnings: [] };
    const p = { candid: cid(1), prob: null, score: null, reason: 'x' };
    expect(() => recordRound(db!, { ...base, round: 0, proposals: [p, p] })).toThrow(/twice/);
    recordRound(db, { ...base, round: 0, proposals: [p] });
    expect(() => recordRound(db!, { ...base, round: 0, proposals: [p] })).toThrow(/UNIQUE/);
    expect(latestRound(db, 'gal')?.round).toBe(0);
  });
});

describe('other strategies', () => {
  for (const strategy of ['margin', 'entropy', 'committee', 'diversity', 'random'] as const) {
    it(`${strategy}: a full batch of distinct, unlabelled alerts with oriented scores`, async () => {
      const s = makeStore(separableAlerts(80));
      db = s.db;
      updateSettings(db, s.dbPath, { n0: 16, n: 5, strategy });
      const artifactsRoot = join(s.dir, 'artifacts');
      const r0 = await runRound(db, s.dbPath, { artifactsRoot, inline: true });
      expect(r0.round.strategy).toBe(strategy === 'diversity' ? 'diversity' : 'random');
      for (const p of r0.proposals) setLabel(db, p.candid, isGal(indexOf(p.candid)) ? 'gal' : 'extragal');
      const r1 = await runRound(db, s.dbPath, { artifactsRoot, inline: true, cvFolds: 2, importanceRepeats: 1 });
      expect(r1.round.strategy).toBe(strategy);
      expect(r1.proposals).toHaveLength(5);
      expect(new Set(r1.proposals.map((p) => p.objectId)).size).toBe(5);
      const before = new Set(r0.proposals.map((p) => p.candid));
      expect(r1.proposals.some((p) => before.has(p.candid))).toBe(false);
      if (strategy === 'random') expect(r1.proposals.every((p) => p.score === null)).toBe(true);
      if (strategy === 'margin') {
        // 1 − |p1 − p0| = 1 − |2p − 1|, computed from the stored probability.
        for (const p of r1.proposals) expect(p.score!).toBeCloseTo(1 - Math.abs(2 * p.prob! - 1), 12);
      }
      if (strategy === 'entropy') {
        for (const p of r1.proposals) {
          const q = p.prob!;
          const h = -(q > 0 ? q * Math.log(q) : 0) - (q < 1 ? (1 - q) * Math.log(1 - q) : 0);
          expect(p.score!).toBeCloseTo(h, 12);
        }
        const sc = r1.proposals.map((p) => p.score!);
        expect(sc).toEqual([...sc].sort((a, b) => b - a));
      }
    });
  }
});
