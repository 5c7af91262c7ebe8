import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLASS_MAPS } from '../../core/labels.js';
import { createClassifier } from '../../core/learn/classifier.js';
import { binaryMetrics, flattenMetrics } from '../../core/learn/metrics.js';
import {
  candidsFromCsv,
  clearHoldout,
  HoldoutExistsError,
  holdoutSummary,
  markHoldoutCandids,
  markHoldoutFraction,
  stratifiedGroupPick,
  type GroupItem,
} from '../../core/loop/holdout.js';
import { loadHoldoutSet, loadPool, loadTrainingSet } from '../../core/loop/pool.js';
import { runRound } from '../../core/loop/round.js';
import type { Db } from '../../core/store/database.js';
import { loadFeatureMatrix } from '../../core/store/features.js';
import { setLabel } from '../../core/store/labels.js';
import { getSettings, updateSettings } from '../../core/store/settings.js';
import { getRun, runArtifactDir } from '../../core/track/tracker.js';
import { cid, makeStore, separableAlerts } from './fixture.js';

let db: Db | null = null;
afterEach(() => db?.close());

const isGal = (i: number) => i % 2 === 0;
const heldCandids = (d: Db) => (d.prepare('SELECT candid FROM holdout').all() as { candid: string }[]).map((r) => r.candid);

describe('stratifiedGroupPick', () => {
  // 120 items in objects of 1 to 4 alerts, one class per object; 40 objects of class 1 and 2× as many items of class 0.
  const items: GroupItem[] = [];
  for (let o = 0; o < 60; o++) {
    const size = 1 + (o % 4);
    for (let k = 0; k < size; k++) items.push({ candid: `c${o}_${k}`, objectId: `O${o}`, cls: o % 3 === 0 ? 1 : 0 });
  }
  const count = (set: Set<string>, c: 0 | 1) => items.filter((x) => x.cls === c && set.has(x.candid)).length;

  it('holds out about the fraction of each class, whole objects only, reproducibly', () => {
    const picked = stratifiedGroupPick(items, 0.2, 7);
    for (const c of [0, 1] as const) {
      const total = items.filter((x) => x.cls === c).length;
      // Greedy by whole objects: within the largest object (4) of round(0.2 × total).
      expect(Math.abs(count(picked, c) - Math.round(0.2 * total))).toBeLessThanOrEqual(4);
      expect(count(picked, c)).toBeGreaterThan(0);
    }
    const byObject = new Map<string, boolean[]>();
    for (const x of items) byObject.set(x.objectId, [...(byObject.get(x.objectId) ?? []), picked.has(x.candid)]);
    for (const flags of byObject.values()) expect(new Set(flags).size).toBe(1);
    expect([...stratifiedGroupPick([...items].reverse(), 0.2, 7)].sort()).toEqual([...picked].sort());
    expect([...stratifiedGroupPick(items, 0.2, 8)].sort()).not.toEqual([...picked].sort());
  });

  it('rejects a fraction outside (0, 1)', () => {
    expect(() => stratifiedGroupPick(items, 1, 0)).toThrow(RangeError);
    expect(() => stratifiedGroupPick(items, 0, 0)).toThrow(RangeError);
  });
});

describe('held-out set in the store', () => {
  /** 150 alerts; the first 60 labelled gal/extragal alternately (objects of 2 alerts for i < 20). */
  function labelled(n = 60) {
    const s = makeStore(separableAlerts(150));
    db = s.db;
    for (let i = 0; i < n; i++) setLabel(db, cid(i), isGal(i) ? 'gal' : 'extragal');
    return s;
  }

  it('--fraction: stratified by class, objects never straddle training and held-out; clear restores', () => {
    labelled();
    const r = markHoldoutFraction(db!, 'gal', 0.25, 3);
    const held = heldCandids(db!);
    expect(r.marked).toBe(held.length);
    const nGal = held.filter((c) => isGal(Number(BigInt(c) - 1700000000000000000n))).length;
    // 30 per class, target round(7.5) = 8 each, objects of at most 2 alerts.
    expect(Math.abs(nGal - 8)).toBeLessThanOrEqual(2);
    expect(Math.abs(held.length - nGal - 8)).toBeLessThanOrEqual(2);
    const sum = holdoutSummary(db!, 'gal');
    expect(sum.perClass.galactic).toBe(nGal);
    expect(sum.perClass['not galactic']).toBe(held.length - nGal);

    const ts = loadTrainingSet(db!, DEFAULT_CLASS_MAPS.gal);
    const hs = loadHoldoutSet(db!, DEFAULT_CLASS_MAPS.gal);
    expect(ts.n + hs.n).toBe(60);
    expect(ts.heldOut).toBe(hs.n);
    expect(hs.candids.sort()).toEqual([...held].sort());
    const trainObjects = new Set(ts.objectIds);
    for (const o of hs.objectIds) expect(trainObjects.has(o)).toBe(false);
    // A fixed set: marking again is refused until cleared.
    expect(() => markHoldoutFraction(db!, 'gal', 0.25, 4)).toThrow(HoldoutExistsError);
    expect(clearHoldout(db!)).toBe(held.length);
    expect(loadTrainingSet(db!, DEFAULT_CLASS_MAPS.gal).n).toBe(60);
    expect(holdoutSummary(db!, 'gal').marked).toBe(0);
  });

  it('--file: marked alerts and the other alerts of their objects leave training and the pool', () => {
    labelled();
    db!.prepare('DELETE FROM label_events WHERE candid = ?').run(cid(1)); // obj0 = alerts 0 (labelled) and 1 (now unlabelled)
    expect(loadPool(db!).candids).toContain(cid(1));
    const csv = `candid,note\n${cid(0)},a\n${cid(100)},pool alert\n99,unknown\n`;
    const r = markHoldoutCandids(db!, 'gal', candidsFromCsv(csv));
    expect(r).toEqual({ marked: 3, already: 0, unknown: ['99'] });
    const pool = loadPool(db!).candids;
    for (const c of [cid(0), cid(1), cid(100)]) expect(pool).not.toContain(c);
    expect(loadTrainingSet(db!, DEFAULT_CLASS_MAPS.gal).candids).not.toContain(cid(0));
    expect(loadHoldoutSet(db!, DEFAULT_CLASS_MAPS.gal).candids).toEqual([cid(0)]);
    expect(markHoldoutCandids(db!, 'gal', [cid(0)]).already).toBe(1);
    expect(() => candidsFromCsv('id\n1\n')).toThrow(/candid/);
  });

  it('a round trains without the held-out alerts, never proposes them, and logs holdout_* metrics equal to an independent fit', async () => {
    const s = labelled();
    updateSettings(db!, s.dbPath, { n0: 10, n: 8 });
    markHoldoutFraction(db!, 'gal', 0.3, 1);
    const held = new Set(heldCandids(db!));
    const heldObjects = new Set(loadHoldoutSet(db!, DEFAULT_CLASS_MAPS.gal).objectIds);
    const artifactsRoot = join(s.dir, 'artifacts');
    const r0 = await runRound(db!, s.dbPath, { artifactsRoot, inline: true });
    const r1 = await runRound(db!, s.dbPath, { artifactsRoot, inline: true, cvFolds: 3, importanceRepeats: 1 });
    for (const p of [...r0.proposals, ...r0.reserve, ...r1.proposals, ...r1.reserve]) {
      expect(held.has(p.candid)).toBe(false);
      expect(heldObjects.has(p.objectId)).toBe(false);
    }
    const ids = readFileSync(join(runArtifactDir(db!, r1.runId!), 'training_ids.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    const expectedTrain = Array.from({ length: 60 }, (_, i) => cid(i)).filter((c) => !held.has(c));
    expect(ids).toEqual(expectedTrain);

    // Independent: fit the same spec on the same rows, predict the held-out rows, binaryMetrics.
    const st = getSettings(db!, s.dbPath);
    const tr = loadFeatureMatrix(db!, { candids: expectedTrain });
    const yTr = Uint8Array.from(tr.candids, (c) => (isGal(Number(BigInt(c) - 1700000000000000000n)) ? 1 : 0));
    const model = createClassifier({ engine: st.engine, seed: st.seed, featureNames: tr.names } as Parameters<typeof createClassifier>[0]);
    model.fit(tr.X, tr.n, tr.d, yTr, { featureNames: tr.names });
    const ho = loadFeatureMatrix(db!, { candids: [...held] });
    const yHo = Uint8Array.from(ho.candids, (c) => (isGal(Number(BigInt(c) - 1700000000000000000n)) ? 1 : 0));
    const pr = model.predictProba(ho.X, ho.n);
    const expected = flattenMetrics(binaryMetrics(yHo, Float64Array.from({ length: ho.n }, (_, i) => pr[2 * i + 1])), 'holdout_');
    expect(r1.metrics.n_holdout).toBe(held.size);
    for (const [k, v] of Object.entries(expected)) expect(r1.metrics[k], k).toBeCloseTo(v, 10);
    expect(r1.metrics.holdout_roc_auc).toBeGreaterThan(0.8); // separable on dets_median
    const run = getRun(db!, r1.runId!);
    expect(run.metrics.holdout_accuracy).toBeCloseTo(expected.holdout_accuracy, 10);
    expect(run.metrics.n_holdout).toBe(held.size);
  });

  it('a one-class or too small held-out set gives a warning and no holdout_* metrics', async () => {
    const s = labelled();
    updateSettings(db!, s.dbPath, { n0: 10, n: 5 });
    markHoldoutCandids(db!, 'gal', [20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 42].map(cid)); // 12 gal only
    const artifactsRoot = join(s.dir, 'artifacts');
    await runRound(db!, s.dbPath, { artifactsRoot, inline: true });
    const r1 = await runRound(db!, s.dbPath, { artifactsRoot, inline: true, cvFolds: 3, importanceRepeats: 1 });
    expect(r1.metrics.n_holdout).toBe(12);
    expect(r1.metrics.holdout_accuracy).toBeUndefined();
    expect(r1.metrics.cv_accuracy).toBeDefined();
    expect(r1.warnings.some((w) => /only class 'galactic'.*no held-out metrics/.test(w))).toBe(true);
    clearHoldout(db!);
    markHoldoutCandids(db!, 'gal', [cid(20), cid(21)]);
    const r2 = await runRound(db!, s.dbPath, { artifactsRoot, inline: true, cvFolds: 3, importanceRepeats: 1 });
    expect(r2.metrics.holdout_accuracy).toBeUndefined();
    expect(r2.warnings.some((w) => /2 counted label\(s\).*under 10/.test(w))).toBe(true);
  });
});
