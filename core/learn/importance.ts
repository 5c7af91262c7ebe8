/**
 * Permutation importance (Breiman 2001; scikit-learn's permutation_importance): the drop of a held-out score when one
 * column is shuffled, repeated with several seeds. Computed on held-out data only (CV folds or a held-out set) so an
 * overfitted feature does not look important.
 */
import { stringify } from 'csv-stringify/sync';
import { createClassifier, type Classifier, type EngineSpecInput } from './classifier.js';
import { foldRows, meanStd, stratifiedKFold, takeRows } from './cv.js';
import { accuracy, logLoss, rocAuc, threshold } from './metrics.js';
import { Rng } from './random.js';

export type ImportanceMetric = 'roc_auc' | 'accuracy' | 'neg_log_loss';

export interface FeatureImportance {
  feature: string;
  index: number;
  /** Mean score drop over all folds × repeats (larger = more important). */
  mean: number;
  std: number;
  values: number[];
}

export interface ImportanceResult {
  metric: ImportanceMetric;
  repeats: number;
  /** Folds used (0 = a single held-out set). */
  k: number;
  note?: string;
  /** Sorted by decreasing mean. */
  importances: FeatureImportance[];
}

function score(metric: ImportanceMetric, y: Uint8Array, proba: Float64Array, K: number): number {
  const n = y.length;
  const p1 = new Float64Array(n);
  for (let i = 0; i < n; i++) p1[i] = proba[i * K + 1];
  if (metric === 'roc_auc') return rocAuc(y, p1);
  if (metric === 'accuracy') return accuracy(y, threshold(p1));
  return -logLoss(y, p1);
}

/** Score drops for each feature on one held-out set: drops[f] has `repeats` values (empty when the score is NaN). */
function heldOutDrops(
  model: Classifier,
  X: Float64Array,
  n: number,
  d: number,
  y: Uint8Array,
  metric: ImportanceMetric,
  repeats: number,
  rng: Rng,
): number[][] {
  const K = model.nClasses;
  const base = score(metric, y, model.predictProba(X, n), K);
  const drops: number[][] = Array.from({ length: d }, () => []);
  if (!Number.isFinite(base)) return drops;
  const Xp = X.slice();
  const col = new Float64Array(n);
  const perm = new Int32Array(n);
  for (let f = 0; f < d; f++) {
    for (let i = 0; i < n; i++) col[i] = X[i * d + f];
    for (let r = 0; r < repeats; r++) {
      for (let i = 0; i < n; i++) perm[i] = i;
      rng.shuffle(perm);
      for (let i = 0; i < n; i++) Xp[i * d + f] = col[perm[i]];
      const s = score(metric, y, model.predictProba(Xp, n), K);
      if (Number.isFinite(s)) drops[f].push(base - s);
    }
    for (let i = 0; i < n; i++) Xp[i * d + f] = col[i];
  }
  return drops;
}

function summarise(names: string[], drops: number[][]): FeatureImportance[] {
  return drops
    .map((values, index) => ({ feature: names[index] ?? `f${index}`, index, ...meanStd(values), values }))
    .sort((a, b) => (b.mean === a.mean ? a.index - b.index : (Number.isNaN(a.mean) ? 1 : Number.isNaN(b.mean) ? -1 : b.mean - a.mean)));
}

export interface ImportanceOptions {
  repeats?: number;
  seed?: number;
  metric?: ImportanceMetric;
}

/** Importance of a fitted model on a held-out labelled set. */
export function permutationImportance(
  model: Classifier,
  X: Float64Array,
  n: number,
  d: number,
  y: Uint8Array,
  opts: ImportanceOptions = {},
): ImportanceResult {
  const repeats = opts.repeats ?? 5;
  const metric = opts.metric ?? 'roc_auc';
  const drops = heldOutDrops(model, X, n, d, y, metric, repeats, new Rng(opts.seed ?? 0));
  return { metric, repeats, k: 0, importances: summarise(model.featureNames, drops) };
}

/** Importance on the held-out folds of a stratified k-fold split: one model per fold, drops pooled over folds. */
export function cvPermutationImportance(
  spec: EngineSpecInput,
  X: Float64Array,
  n: number,
  d: number,
  y: Uint8Array,
  opts: ImportanceOptions & { k?: number; sampleWeight?: Float64Array; featureNames?: string[] } = {},
): ImportanceResult {
  const repeats = opts.repeats ?? 5;
  const metric = opts.metric ?? 'roc_auc';
  const seed = opts.seed ?? 0;
  const folds = stratifiedKFold(y, opts.k ?? 5, seed);
  const names = opts.featureNames ?? Array.from({ length: d }, (_, f) => `f${f}`);
  const all: number[][] = Array.from({ length: d }, () => []);
  const rng = new Rng(seed + 1);
  for (let f = 0; f < folds.k; f++) {
    const { train, test } = foldRows(folds, f);
    const model = createClassifier(spec);
    const sw = opts.sampleWeight ? Float64Array.from(train, (i) => opts.sampleWeight![i]) : undefined;
    model.fit(takeRows(X, d, train), train.length, d, Uint8Array.from(train, (i) => y[i]), { sampleWeight: sw, featureNames: names });
    const drops = heldOutDrops(model, takeRows(X, d, test), test.length, d, Uint8Array.from(test, (i) => y[i]), metric, repeats, rng);
    for (let j = 0; j < d; j++) all[j].push(...drops[j]);
  }
  return { metric, repeats, k: folds.k, note: folds.note, importances: summarise(names, all) };
}

/** CSV (feature, mean, std, n) for the run's artifacts. */
export function importanceToCsv(r: ImportanceResult): string {
  return stringify([
    ['feature', `importance_mean_${r.metric}`, 'importance_std', 'n_values'],
    ...r.importances.map((f) => [f.feature, f.mean, f.std, f.values.length]),
  ]);
}
