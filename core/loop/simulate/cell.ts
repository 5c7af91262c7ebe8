/**
 * One simulation cell: a configuration run over its seeds. Per seed: hold out a test set by object, label a
 * stratified random start batch of N0, then repeat { train on the labelled rows; evaluate on the held-out rows; rank
 * the rest of the training pool by the strategy (core/loop/select.ts, as the app does) and label the top N } until
 * the budget. The held-out rows are never given to a model for fitting nor offered to a strategy.
 */
import { createClassifier, positiveColumn, type Classifier, type EngineSpecInput } from '../../learn/classifier.js';
import { committeeProba } from '../../learn/committee.js';
import { takeRows } from '../../learn/cv.js';
import { permutationImportance } from '../../learn/importance.js';
import { accuracy, binaryMetrics, threshold } from '../../learn/metrics.js';
import { selectBatch } from '../select.js';
import type { CellConfig } from './grid.js';
import { heldOutSplit, leaveOneGroupOut, stratifiedInitial, type HeldOutSplit } from './split.js';

/** The data a cell needs (a SimDataset without the bookkeeping fields). */
export interface CellData {
  X: Float64Array;
  n: number;
  d: number;
  y: Uint8Array;
  objectIds: string[];
  names: string[];
  /** The night and the source file of each row, whole per object (for the night / file splits). */
  groups?: { night: string[]; file: string[] };
}

export interface CurvePoint {
  /** Labels used to train the model evaluated here. */
  labels: number;
  /** Held-out metrics. */
  accuracy: number;
  balancedAccuracy: number;
  f1: number;
  rocAuc: number;
  /** Accuracy on the model's own training set (what the seed reported; optimistic). */
  trainAccuracy: number;
  /** Class-1 fraction of the labelled set. */
  labelledPositive: number;
  /**
   * P(class 1) of each test row (night / file splits only): one night can hold a single class, so the curve's
   * metrics are computed on the predictions pooled over the seeds (aggregate.ts meanCurve).
   */
  p1?: number[];
}

export interface SeedResult {
  seed: number;
  points: CurvePoint[];
  /** Rows labelled, in the order they were labelled (the first n0 are the start batch). */
  labelled: number[];
  /** Held-out rows. */
  test: number[];
  /** The night or file held out, and the classes of its rows (night / file splits). */
  group?: string;
  testY?: number[];
  nTrainPool: number;
  /** Held-out class counts [class 0, class 1]. */
  testCounts: [number, number];
  /** Permutation importance (ROC AUC drop) of the final model on the held-out set, per feature (config.importance). */
  importance?: number[];
}

export interface CellResult {
  seeds: SeedResult[];
  seconds: number;
}

export const COMMITTEE_SIZE = 5;
export const IMPORTANCE_REPEATS = 5;

function specOf(c: CellConfig, seed: number, names: string[]): EngineSpecInput {
  const params: Record<string, unknown> = { ...c.params };
  if (c.classWeight === 'balanced') params.classWeight = 'balanced';
  return { engine: c.engine, params, seed, featureNames: names } as EngineSpecInput;
}

/** A model that knows one class only (a start batch of one class): constant probabilities, no fit. */
function constantProba(cls: number, n: number): Float64Array {
  const p = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) p[i * 2 + cls] = 1;
  return p;
}

/** The seed's test set: whole objects from every night, or one whole night / file (grid.ts SIM_SPLITS). */
function testSplit(data: CellData, c: CellConfig, seed: number): HeldOutSplit & { group?: string } {
  if (!c.split || c.split === 'object') return heldOutSplit(data.y, data.objectIds, c.testFraction, seed);
  const groups = data.groups?.[c.split];
  if (!groups) throw new Error(`split=${c.split}: the labelled set has no ${c.split} per alert`);
  return leaveOneGroupOut(groups, seed);
}

export function runSeed(data: CellData, c: CellConfig, seed: number): SeedResult {
  const { X, d, y } = data;
  const split = testSplit(data, c, seed);
  const Xtest = takeRows(X, d, split.test);
  const ytest = Uint8Array.from(split.test, (i) => y[i]);
  const labelled = stratifiedInitial(y, split.train, c.n0, seed);
  const inLabelled = new Set(labelled);
  let remaining = split.train.filter((i) => !inLabelled.has(i));
  const budget = Math.min(c.budget, split.train.length);
  const points: CurvePoint[] = [];
  let model: Classifier | null = null;
  for (let round = 0; ; round++) {
    const spec = specOf(c, seed * 1000 + round, data.names);
    const Xl = takeRows(X, d, labelled);
    const yl = Uint8Array.from(labelled, (i) => y[i]);
    const classes = new Set(yl);
    const proba = (rows: Float64Array, n: number): Float64Array =>
      model ? model.predictProba(rows, n) : constantProba(yl[0] ?? 0, n);
    model = null;
    if (classes.size === 2) {
      model = createClassifier(spec);
      model.fit(Xl, labelled.length, d, yl);
    }
    const p1 = positiveColumn(proba(Xtest, split.test.length), split.test.length);
    const m = binaryMetrics(ytest, p1);
    const pTrain = positiveColumn(proba(Xl, labelled.length), labelled.length);
    points.push({
      labels: labelled.length,
      accuracy: m.accuracy,
      balancedAccuracy: m.balancedAccuracy,
      f1: m.f1,
      rocAuc: m.rocAuc,
      trainAccuracy: accuracy(yl, threshold(pTrain)),
      labelledPositive: yl.reduce((a, b) => a + b, 0) / Math.max(1, yl.length),
      ...(split.group !== undefined ? { p1: Array.from(p1) } : {}),
    });
    const count = Math.min(c.step, budget - labelled.length, remaining.length);
    if (count <= 0) break;
    const Xpool = takeRows(X, d, remaining);
    const needsProba = c.strategy !== 'random';
    const poolProba = needsProba ? proba(Xpool, remaining.length) : undefined;
    const members =
      c.strategy === 'committee' && model
        ? committeeProba(spec, Xl, labelled.length, d, yl, Xpool, remaining.length, { members: COMMITTEE_SIZE, seed: spec.seed })
        : c.strategy === 'committee'
          ? [poolProba!]
          : undefined;
    const picks = selectBatch({
      strategy: c.strategy,
      count,
      seed: seed * 1000 + round,
      n: remaining.length,
      objectIds: remaining.map((i) => data.objectIds[i]),
      X: Xpool,
      d,
      proba: poolProba,
      members,
      k: 2,
    });
    const chosen = new Set(picks.map((p) => remaining[p.index]));
    for (const p of picks) labelled.push(remaining[p.index]);
    remaining = remaining.filter((i) => !chosen.has(i));
  }
  const res: SeedResult = {
    seed,
    points,
    labelled,
    test: split.test,
    ...(split.group !== undefined ? { group: split.group, testY: Array.from(ytest) } : {}),
    nTrainPool: split.train.length,
    testCounts: [ytest.length - ytest.reduce((a, b) => a + b, 0), ytest.reduce((a, b) => a + b, 0)],
  };
  if (c.importance && model) {
    const imp = permutationImportance(model, Xtest, split.test.length, d, ytest, {
      repeats: IMPORTANCE_REPEATS,
      seed,
      metric: 'roc_auc',
    });
    const byIndex = new Array<number>(d).fill(NaN);
    for (const f of imp.importances) byIndex[f.index] = f.mean;
    res.importance = byIndex;
  }
  return res;
}

export function runCell(data: CellData, c: CellConfig): CellResult {
  const t0 = performance.now();
  const { data: kept, columns } = withoutFeatures(data, c.drop ?? []);
  const seeds = c.seeds.map((s) => runSeed(kept, c, s));
  // Importance back in the data's feature order (NaN for a dropped feature), as the report reads it.
  for (const s of seeds) {
    if (s.importance && columns.length !== data.d) {
      const full = new Array<number>(data.d).fill(NaN);
      columns.forEach((f, k) => (full[f] = s.importance![k]));
      s.importance = full;
    }
  }
  return { seeds, seconds: (performance.now() - t0) / 1000 };
}

/** The data without some feature columns (e.g. ra, dec: do they only tell the nights apart?). */
export function withoutFeatures(data: CellData, drop: readonly string[]): { data: CellData; columns: number[] } {
  const unknown = drop.filter((f) => !data.names.includes(f));
  if (unknown.length) throw new Error(`drop: no feature named ${unknown.join(', ')}`);
  const columns = data.names.flatMap((name, f) => (drop.includes(name) ? [] : [f]));
  if (columns.length === data.d) return { data, columns };
  const d = columns.length;
  const X = new Float64Array(data.n * d);
  for (let i = 0; i < data.n; i++) for (let k = 0; k < d; k++) X[i * d + k] = data.X[i * data.d + columns[k]];
  return { data: { ...data, X, d, names: columns.map((f) => data.names[f]) }, columns };
}
