import { appendFileSync, mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aulc, atMost, labelsToReach, meanCurve, pairedDiff, type MeanPoint } from '../../core/loop/simulate/aggregate.js';
import { runCell, runSeed } from '../../core/loop/simulate/cell.js';
import { classSupport } from '../../core/loop/simulate/dataset.js';
import { cellKey, expandGrid, type CellConfig, type GridInput } from '../../core/loop/simulate/grid.js';
import { readResults } from '../../core/loop/simulate/results.js';
import { runSimulation } from '../../core/loop/simulate/run.js';
import { heldOutSplit, stratifiedInitial } from '../../core/loop/simulate/split.js';
import { openStore } from '../../core/store/database.js';
import { listRuns, metricHistory } from '../../core/track/tracker.js';
import { separableDataset } from './synthetic.js';

const HRF = { engine: 'hrf' as const, params: { nEstimators: 15, maxDepth: 4 } };

const config = (o: Partial<CellConfig> = {}): CellConfig => ({
  task: 'gal',
  strategy: 'least_confidence',
  n0: 6,
  step: 4,
  budget: 30,
  engine: HRF.engine,
  params: HRF.params,
  classWeight: 'none',
  seeds: [0],
  testFraction: 0.3,
  importance: false,
  ...o,
});

describe('held-out split and start batch', () => {
  const ds = separableDataset({ n: 200, perObject: 3 });

  it('holds out whole objects, stratified, disjoint from the training pool and deterministic', () => {
    const s = heldOutSplit(ds.y, ds.objectIds, 0.3, 5);
    const testObjects = new Set(s.test.map((i) => ds.objectIds[i]));
    const trainObjects = new Set(s.train.map((i) => ds.objectIds[i]));
    expect([...testObjects].filter((o) => trainObjects.has(o))).toEqual([]);
    expect(s.train.length + s.test.length).toBe(ds.n);
    // Objects of each class: 30% of them held out (rounded).
    for (const c of [0, 1]) {
      const objs = new Set(ds.objectIds.filter((_, i) => ds.y[i] === c));
      const held = [...objs].filter((o) => testObjects.has(o)).length;
      expect(held).toBe(Math.round(0.3 * objs.size));
    }
    expect(heldOutSplit(ds.y, ds.objectIds, 0.3, 5)).toEqual(s);
    expect(heldOutSplit(ds.y, ds.objectIds, 0.3, 6).test).not.toEqual(s.test);
  });

  it('start batch: N0 rows of the pool with both classes in proportion', () => {
    const s = heldOutSplit(ds.y, ds.objectIds, 0.3, 1);
    const init = stratifiedInitial(ds.y, s.train, 10, 1);
    expect(init.length).toBe(10);
    expect(new Set(init).size).toBe(10);
    expect(init.every((i) => s.train.includes(i))).toBe(true);
    const pos = init.filter((i) => ds.y[i] === 1).length;
    const share = s.train.filter((i) => ds.y[i] === 1).length / s.train.length;
    expect(pos).toBe(Math.round(10 * share));
    // Even at N0 = 2 both classes are present.
    const two = stratifiedInitial(ds.y, s.train, 2, 3);
    expect(new Set(two.map((i) => ds.y[i]))).toEqual(new Set([0, 1]));
  });
});

describe('one cell: bookkeeping', () => {
  const ds = separableDataset({ n: 160 });

  it.each(['random', 'least_confidence', 'margin', 'entropy', 'committee', 'diversity'] as const)(
    '%s: labels never exceed the budget, held-out rows never labelled, N per round',
    (strategy) => {
      const r = runSeed(ds, config({ strategy }), 3);
      expect(r.labelled.length).toBe(30);
      expect(new Set(r.labelled).size).toBe(30);
      const test = new Set(r.test);
      expect(r.labelled.filter((i) => test.has(i))).toEqual([]);
      expect(r.points.map((p) => p.labels)).toEqual([6, 10, 14, 18, 22, 26, 30]);
      expect(r.points.every((p) => p.accuracy >= 0 && p.accuracy <= 1)).toBe(true);
      expect(r.testCounts[0] + r.testCounts[1]).toBe(r.test.length);
    },
  );

  it('the last step is cut to the budget', () => {
    const r = runSeed(ds, config({ n0: 5, step: 10, budget: 28 }), 0);
    expect(r.points.map((p) => p.labels)).toEqual([5, 15, 25, 28]);
  });

  it('is deterministic for a seed', () => {
    expect(runSeed(ds, config({ strategy: 'committee' }), 4)).toEqual(runSeed(ds, config({ strategy: 'committee' }), 4));
  });
});

describe('uncertainty sampling vs random on a separable set with label noise', () => {
  it('least confidence has the larger area under the accuracy curve, averaged over 8 seeds', () => {
    const ds = separableDataset({ n: 300, d: 3, noise: 0.02, seed: 11 });
    const seeds = [0, 1, 2, 3, 4, 5, 6, 7];
    const area = (strategy: 'random' | 'least_confidence') => {
      const r = runCell(ds, config({ strategy, n0: 4, step: 2, budget: 30, seeds }));
      return aulc(meanCurve(r, 'accuracy'), 4, 30);
    };
    const lc = area('least_confidence');
    const rnd = area('random');
    expect(lc).toBeGreaterThan(rnd);
  });
});

describe('aggregates', () => {
  const curve: MeanPoint[] = [
    { labels: 10, mean: 0.6, std: 0, n: 1 },
    { labels: 15, mean: 0.8, std: 0, n: 1 },
    { labels: 20, mean: 0.95, std: 0, n: 1 },
  ];
  it('step reading, labels to reach and AULC by hand', () => {
    expect(atMost(curve, 9)).toBeNaN();
    expect(atMost(curve, 14)).toBe(0.6);
    expect(atMost(curve, 19)).toBe(0.8);
    expect(labelsToReach(curve, 0.9)).toBe(20);
    expect(labelsToReach(curve, 0.99)).toBeNull();
    // x = 10..20: five at 0.6, five at 0.8, one at 0.95.
    expect(aulc(curve, 10, 20)).toBeCloseTo((5 * 0.6 + 5 * 0.8 + 0.95) / 11, 12);
    expect(aulc(curve, 5, 20)).toBeNaN();
  });

  it('mean and population std over seeds', () => {
    const pt = (labels: number, accuracy: number) => ({ labels, accuracy, balancedAccuracy: 0, f1: 0, rocAuc: NaN, trainAccuracy: 1, labelledPositive: 0 });
    const r = {
      seconds: 0,
      seeds: [
        { seed: 0, points: [pt(5, 0.5), pt(10, 0.7)], labelled: [], test: [], nTrainPool: 0, testCounts: [0, 0] as [number, number] },
        { seed: 1, points: [pt(5, 0.7), pt(10, 0.9)], labelled: [], test: [], nTrainPool: 0, testCounts: [0, 0] as [number, number] },
      ],
    };
    const c = meanCurve(r, 'accuracy');
    expect(c.map((p) => p.labels)).toEqual([5, 10]);
    expect(c[0].mean).toBeCloseTo(0.6, 12);
    expect(c[0].std).toBeCloseTo(0.1, 12);
    expect(meanCurve(r, 'rocAuc')[0]).toMatchObject({ n: 0 });
    // Paired against a reference run: per-seed differences (0.1, 0.3) at 5 labels, (-0.1, 0.1) at 10.
    const ref = {
      seconds: 0,
      seeds: [
        { ...r.seeds[0], points: [pt(5, 0.4), pt(10, 0.8)] },
        { ...r.seeds[1], points: [pt(5, 0.4), pt(10, 0.8)] },
      ],
    };
    const d = pairedDiff(r, ref, 'accuracy');
    expect(d.map((p) => p.labels)).toEqual([5, 10]);
    expect(d[0].meanDiff).toBeCloseTo(0.2, 12);
    expect(d[0].se).toBeCloseTo(Math.sqrt(0.02) / Math.sqrt(2), 12); // sample std of (0.1, 0.3) over sqrt(2)
    expect(d[1].meanDiff).toBeCloseTo(0, 12);
  });
});

const GRID: GridInput = {
  name: 'test',
  seeds: 2,
  testFraction: 0.3,
  studies: [
    {
      name: 'strategies',
      title: 'test',
      vary: ['strategy'],
      tasks: ['gal', 'real'],
      strategies: ['random', 'least_confidence', 'margin'],
      n0: [6],
      step: [6],
      engines: [HRF],
      classWeights: ['none'],
      budget: 24,
      importance: true,
    },
  ],
};

describe('runSimulation: resume, skipped tasks, tracking, report', () => {
  it('grid expansion de-duplicates shared cells and keys ignore the study', () => {
    const g: GridInput = { ...GRID, studies: [GRID.studies[0], { ...GRID.studies[0], name: 'again', strategies: ['random'] }] };
    const cells = expandGrid(g);
    expect(cells.length).toBe(6);
    expect(cells.find((c) => c.config.strategy === 'random' && c.config.task === 'gal')!.studies).toEqual(['strategies', 'again']);
    // A study asking for importance turns it on for a shared cell, without changing its key.
    const noImp = expandGrid({ ...g, studies: [{ ...GRID.studies[0], importance: false }, { ...GRID.studies[0], name: 'imp', importance: true }] });
    expect(noImp.length).toBe(6);
    expect(noImp.every((c) => c.config.importance)).toBe(true);
    expect(cellKey(cells[0].config)).toBe(cells[0].key);
  });

  it('a task with too few bogus alerts is skipped with a reason', () => {
    const real = separableDataset({ task: 'real' });
    real.y.fill(1);
    real.y[0] = 0;
    const sup = classSupport(real);
    expect(sup.alerts).toEqual([1, real.n - 1]);
    expect(sup.skipReason).toMatch(/too few examples of 'bogus' \(1 alert\(s\), 1 object\(s\)\)/);
  });

  it('resumes where a stopped run ended, tracks each cell, writes the report', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'finkvra-sim-'));
    const db = openStore(join(dir, 'store.sqlite'));
    const real = separableDataset({ task: 'real' });
    real.y.fill(1);
    const datasets = { gal: separableDataset({ n: 160 }), real };
    const base = { db, datasets, grid: GRID, source: 'weak' as const, outDir: join(dir, 'report'), workers: 0, track: { artifactsRoot: join(dir, 'artifacts') } };
    const first = await runSimulation({ ...base, maxCells: 1 });
    expect(first).toMatchObject({ cells: 6, ran: 1, resumed: 0, skippedCells: 3 });
    // A torn line (killed while writing) is ignored on resume.
    appendFileSync(first.resultsFile, '{"key": "[\\"gal\\",\\"marg');
    const second = await runSimulation(base);
    expect(second).toMatchObject({ ran: 2, resumed: 1, skippedCells: 3 });
    const third = await runSimulation(base);
    expect(third).toMatchObject({ ran: 0, resumed: 3 });
    const lines = readResults(first.resultsFile);
    expect(lines.size).toBe(3);
    const runs = listRuns(db, { experiment: 'simulate-test' });
    expect(runs.length).toBe(3);
    const lc = [...lines.values()].find((l) => l.config.strategy === 'least_confidence')!;
    const acc = metricHistory(db, lc.runId!, 'accuracy_mean');
    expect(acc.map((p) => p.step)).toEqual([6, 12, 18, 24]);
    expect(acc[0].value).toBeCloseTo(meanCurve(lc.result, 'accuracy')[0].mean, 12);
    const md = readFileSync(join(dir, 'report', 'summary.md'), 'utf8');
    expect(md).toMatch(/\| real \| 0 \(0\) \| 240 \(120\) \| SKIPPED: task real: too few examples of 'bogus'/);
    // The report names the feature set, hence the survey, it simulated on.
    expect(md).toContain('Features: seed (ZTF alerts).');
    for (const f of ['summary.csv', 'curves.csv', 'strategies.svg', 'strategies.png', 'importance.csv', 'importance_hrf_maxDepth_4_nEstimators_15.png']) {
      expect(existsSync(join(dir, 'report', f)), f).toBe(true);
    }
    const csv = readFileSync(join(dir, 'report', 'summary.csv'), 'utf8').trim().split('\n');
    expect(csv.length).toBe(4); // header + 3 cells
    db.close();
  });

  it('worker threads give the same results as the main thread', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'finkvra-sim-w-'));
    const datasets = { gal: separableDataset({ n: 120 }) };
    const grid: GridInput = { ...GRID, studies: [{ ...GRID.studies[0], tasks: ['gal'], importance: false }] };
    const a = await runSimulation({ db: null, datasets, grid, source: 'weak', outDir: join(dir, 'a'), workers: 0, track: null });
    const b = await runSimulation({ db: null, datasets, grid, source: 'weak', outDir: join(dir, 'b'), workers: 2, track: null });
    const strip = (f: string) => new Map([...readResults(f)].map(([k, v]) => [k, v.result.seeds]));
    expect(strip(b.resultsFile)).toEqual(strip(a.resultsFile));
    expect(b.ran).toBe(3);
  });
});
