/**
 * Stratified k-fold cross-validation with out-of-fold probabilities: the honest metrics of a round (the seed logged
 * training-set accuracy). Folds are seeded; k is reduced (and the result says so) when a class has fewer members than
 * k, and CV is declared impossible when a class has a single member or only one class is labelled.
 */
import { createClassifier, type EngineSpecInput } from './classifier.js';
import { binaryMetrics, type BinaryMetrics } from './metrics.js';
import { Rng } from './random.js';

export interface StratifiedFolds {
  /** Folds actually used (0 = cross-validation impossible, see note). */
  k: number;
  requestedK: number;
  /** Fold of each row (-1 when k = 0). */
  fold: Int32Array;
  /** Why k differs from requestedK, if it does. */
  note?: string;
}

export function stratifiedKFold(y: ArrayLike<number>, requestedK: number, seed = 0): StratifiedFolds {
  const n = y.length;
  const fold = new Int32Array(n).fill(-1);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const list = byClass.get(y[i]) ?? [];
    list.push(i);
    byClass.set(y[i], list);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  if (classes.length < 2) {
    return { k: 0, requestedK, fold, note: `cross-validation impossible: only class ${classes.join(', ') || '(none)'} is labelled` };
  }
  let minClass = classes[0];
  for (const c of classes) if (byClass.get(c)!.length < byClass.get(minClass)!.length) minClass = c;
  const minCount = byClass.get(minClass)!.length;
  if (minCount < 2) {
    return { k: 0, requestedK, fold, note: `cross-validation impossible: class ${minClass} has only ${minCount} member` };
  }
  let k = Math.max(2, Math.floor(requestedK));
  let note: string | undefined;
  if (minCount < k) {
    note = `k reduced from ${k} to ${minCount}: class ${minClass} has only ${minCount} members`;
    k = minCount;
  }
  const rng = new Rng(seed);
  // Deal each class's shuffled rows round-robin, continuing the rotation across classes so fold sizes stay balanced.
  let offset = 0;
  for (const c of classes) {
    const rows = Int32Array.from(byClass.get(c)!);
    rng.shuffle(rows);
    for (let j = 0; j < rows.length; j++) fold[rows[j]] = (offset + j) % k;
    offset = (offset + rows.length) % k;
  }
  return { k, requestedK, fold, note };
}

/** Rows of a row-major matrix. */
export function takeRows(X: Float64Array, d: number, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) out.set(X.subarray(rows[r] * d, rows[r] * d + d), r * d);
  return out;
}

export function foldRows(folds: StratifiedFolds, f: number): { train: Int32Array; test: Int32Array } {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < folds.fold.length; i++) (folds.fold[i] === f ? test : train).push(i);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}

export interface FoldResult {
  fold: number;
  nTrain: number;
  nTest: number;
  metrics: BinaryMetrics;
}

export interface CvResult {
  k: number;
  requestedK: number;
  note?: string;
  fold: Int32Array;
  /** Out-of-fold probabilities, n × 2 (NaN rows when k = 0). */
  oofProba: Float64Array;
  folds: FoldResult[];
  /** Metrics of the pooled out-of-fold predictions (null when k = 0). */
  pooled: BinaryMetrics | null;
  /** Mean and standard deviation over folds of each scalar metric. */
  foldMeanStd: Record<string, { mean: number; std: number }>;
}

export interface CvOptions {
  k?: number;
  seed?: number;
  sampleWeight?: Float64Array;
  /** Decision threshold on P(class 1) (default 0.5). */
  threshold?: number;
  /** Called after each fold (e.g. progress bars). */
  onFold?: (done: number, total: number) => void;
}

export function crossValidate(
  spec: EngineSpecInput,
  X: Float64Array,
  n: number,
  d: number,
  y: Uint8Array | Int32Array,
  opts: CvOptions = {},
): CvResult {
  return crossValidateFolds(spec, X, n, d, y, stratifiedKFold(y, opts.k ?? 5, opts.seed ?? 0), opts);
}

/** Cross-validation on given folds (stratified, or grouped by night: group-folds.ts). */
export function crossValidateFolds(
  spec: EngineSpecInput,
  X: Float64Array,
  n: number,
  d: number,
  y: Uint8Array | Int32Array,
  folds: StratifiedFolds,
  opts: CvOptions = {},
): CvResult {
  const oofProba = new Float64Array(n * 2).fill(NaN);
  const result: CvResult = {
    k: folds.k,
    requestedK: folds.requestedK,
    note: folds.note,
    fold: folds.fold,
    oofProba,
    folds: [],
    pooled: null,
    foldMeanStd: {},
  };
  if (folds.k === 0) return result;
  for (let f = 0; f < folds.k; f++) {
    const { train, test } = foldRows(folds, f);
    const p1 = foldP1(spec, X, d, y, train, test, opts.sampleWeight);
    const yTest = Uint8Array.from(test, (i) => y[i]);
    for (let r = 0; r < test.length; r++) {
      oofProba[test[r] * 2] = 1 - p1[r];
      oofProba[test[r] * 2 + 1] = p1[r];
    }
    result.folds.push({ fold: f, nTrain: train.length, nTest: test.length, metrics: binaryMetrics(yTest, p1, opts.threshold) });
    opts.onFold?.(f + 1, folds.k);
  }
  const p1 = new Float64Array(n);
  for (let i = 0; i < n; i++) p1[i] = oofProba[2 * i + 1];
  result.pooled = binaryMetrics(y, p1, opts.threshold);
  const keys = ['accuracy', 'balancedAccuracy', 'precision', 'recall', 'f1', 'rocAuc', 'logLoss', 'efficiency', 'purity', 'figureOfMerit'] as const;
  for (const key of keys) {
    const vals = result.folds.map((r) => r.metrics[key]).filter((v) => Number.isFinite(v));
    result.foldMeanStd[key] = meanStd(vals);
  }
  return result;
}

/**
 * P(class 1) of the test rows from a model fitted on the train rows. A grouped fold can leave one class only in
 * training (the other class came from the held-out nights): that model can only predict the class it saw.
 */
function foldP1(
  spec: EngineSpecInput,
  X: Float64Array,
  d: number,
  y: Uint8Array | Int32Array,
  train: Int32Array,
  test: Int32Array,
  sampleWeight?: Float64Array,
): Float64Array {
  const yTrain = y instanceof Uint8Array ? new Uint8Array(train.length) : new Int32Array(train.length);
  for (let r = 0; r < train.length; r++) yTrain[r] = y[train[r]];
  if (new Set(yTrain).size < 2) return new Float64Array(test.length).fill(yTrain[0] === 1 ? 1 : 0);
  const model = createClassifier(spec);
  const sw = sampleWeight ? Float64Array.from(train, (i) => sampleWeight[i]) : undefined;
  model.fit(takeRows(X, d, train), train.length, d, yTrain, { sampleWeight: sw });
  const proba = model.predictProba(takeRows(X, d, test), test.length);
  const K = model.nClasses;
  return Float64Array.from(test, (_, r) => proba[r * K + 1]);
}

/** Mean and population standard deviation (NaN for an empty list). */
export function meanStd(vals: number[]): { mean: number; std: number } {
  if (vals.length === 0) return { mean: NaN, std: NaN };
  const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
  const v = vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length;
  return { mean, std: Math.sqrt(v) };
}
