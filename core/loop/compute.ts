/**
 * The heavy part of a round: fit the model and score the pool, cross-validate, permutation importance on the held-out
 * folds, the final model's metrics on the user's held-out set, and (committee) the members' votes. All of it runs in ONE worker thread (round-worker.ts), so the caller (the
 * app's main process) never blocks and a worker starts once per round (starting one costs seconds under tsx);
 * `inline: true` runs on the calling thread (tests, profiling).
 */
import { createClassifier, positiveColumn, type EngineJSON, type EngineSpecInput } from '../learn/classifier.js';
import { committeeProba } from '../learn/committee.js';
import { crossValidate, crossValidateFolds, type CvResult } from '../learn/cv.js';
import { groupKFold, type GroupUnit } from '../learn/group-folds.js';
import { cvPermutationImportance, type ImportanceResult } from '../learn/importance.js';
import { accuracy, binaryMetrics, threshold, type BinaryMetrics } from '../learn/metrics.js';
import { runWorkerTask } from '../util/worker.js';
import { selectBatch, type LoopStrategy, type Pick } from './select.js';

export interface RoundComputeInput {
  engine: EngineSpecInput;
  strategy: LoopStrategy;
  batchSize: number;
  seed: number;
  names: string[];
  /** `groups`: the night (or file) of each row, whole per object (night-groups.ts); without it, no cv_night. */
  train: { X: Float64Array; n: number; d: number; y: Uint8Array; groups?: string[] };
  /** What `train.groups` are (default night). */
  groupUnit?: GroupUnit;
  pool: { X: Float64Array; n: number; objectIds: string[] };
  /** The user's fixed held-out set: the final model is evaluated on it (only pass one with both classes). */
  holdout?: { X: Float64Array; n: number; y: Uint8Array } | null;
  cvFolds?: number;
  importanceRepeats?: number;
  committeeSize?: number;
  inline?: boolean;
}

export interface RoundComputeOutput {
  model: EngineJSON;
  /** P(class 1) per pool row. */
  poolP1: Float64Array;
  picks: (Pick & { prob: number })[];
  /** Pooled out-of-fold metrics (null when CV is impossible). */
  cv: BinaryMetrics | null;
  cvK: number;
  cvNote: string | null;
  cvFoldMeanStd: Record<string, { mean: number; std: number }>;
  /** Pooled out-of-fold metrics of the cross-validation grouped by night (or file): the headline. */
  cvNight: BinaryMetrics | null;
  cvNightK: number;
  /** Distinct nights (files) among the training rows (0 when no groups were given). */
  cvNightGroups: number;
  cvNightUnit: GroupUnit;
  /** Why there is no night-grouped estimate, or how it was reduced. */
  cvNightNote: string | null;
  /** Metrics of the final model on the held-out set (null when none was given). */
  holdout: BinaryMetrics | null;
  /** Accuracy of the final model on its own training set (optimistic: shown for comparison with the seed only). */
  trainAccuracy: number;
  importance: { feature: string; mean: number; std: number }[];
  importanceMetric: string;
  importanceNote: string | null;
  seconds: { fit: number; cv: number; importance: number; committee: number };
}

export type ComputeProgress = (fraction: number, message: string) => void;

const secs = (t0: number) => (performance.now() - t0) / 1000;

export const ROUND_WORKER_MARKER = 'finkvra-round';

export async function computeRound(inp: RoundComputeInput, progress: ComputeProgress = () => {}): Promise<RoundComputeOutput> {
  if (inp.inline) return computeRoundInline(inp, progress);
  progress(0.05, `training ${inp.engine.engine} on ${inp.train.n} labels, cross-validating, scoring ${inp.pool.n} pool alerts (worker)`);
  const out = await runWorkerTask<RoundComputeInput, RoundComputeOutput>(new URL('./round-worker.js', import.meta.url), inp, {
    workerData: { marker: ROUND_WORKER_MARKER },
  });
  progress(1, 'done');
  return out;
}

/** The same computation on the calling thread (what the worker runs). */
export function computeRoundInline(inp: RoundComputeInput, progress: ComputeProgress = () => {}): RoundComputeOutput {
  const { train, pool, names } = inp;
  const spec = { ...inp.engine, featureNames: names } as EngineSpecInput;
  const k = inp.cvFolds ?? 5;

  let t = performance.now();
  progress(0.05, `training ${inp.engine.engine} on ${train.n} labels, scoring ${pool.n} pool alerts`);
  const model = createClassifier(spec);
  model.fit(train.X, train.n, train.d, train.y, { featureNames: names });
  const poolProba = pool.n > 0 ? model.predictProba(pool.X, pool.n) : new Float64Array(0);
  const tFit = secs(t);
  const K = model.nClasses;
  const trainProba = model.predictProba(train.X, train.n);
  const trainP1 = positiveColumn(trainProba, train.n, K);
  const trainAccuracy = accuracy(train.y, threshold(trainP1));
  let holdout: BinaryMetrics | null = null;
  if (inp.holdout && inp.holdout.n > 0) {
    const hp = model.predictProba(inp.holdout.X, inp.holdout.n);
    holdout = binaryMetrics(inp.holdout.y, positiveColumn(hp, inp.holdout.n, K));
  }

  t = performance.now();
  progress(0.3, `cross-validating (${k} folds)`);
  const cv: CvResult = crossValidate(spec, train.X, train.n, train.d, train.y, { k, seed: inp.seed });
  const night = nightCv(spec, inp, k);
  const tCv = secs(t);

  t = performance.now();
  progress(0.55, 'permutation importance on held-out folds');
  const repeats = inp.importanceRepeats ?? 5;
  const imp: ImportanceResult = cvPermutationImportance(spec, train.X, train.n, train.d, train.y, {
    k,
    repeats,
    seed: inp.seed,
    featureNames: names,
  });
  const tImp = secs(t);

  t = performance.now();
  let members: Float64Array[] | undefined;
  if (inp.strategy === 'committee' && pool.n > 0) {
    progress(0.8, 'training the committee');
    const M = inp.committeeSize ?? 5;
    members = committeeProba(spec, train.X, train.n, train.d, train.y, pool.X, pool.n, { members: M, seed: inp.seed });
  }
  const tCom = secs(t);

  const poolP1 = positiveColumn(poolProba, pool.n, K);
  const picks = selectBatch({
    strategy: inp.strategy,
    count: inp.batchSize,
    seed: inp.seed,
    n: pool.n,
    objectIds: pool.objectIds,
    X: pool.X,
    d: train.d,
    proba: poolProba,
    members,
    k: K,
  }).map((p) => ({ ...p, prob: poolP1[p.index], reason: `${p.reason}; P(class 1) ${poolP1[p.index].toFixed(3)}` }));
  progress(1, 'done');
  return {
    model: model.toJSON(),
    poolP1,
    picks,
    cv: cv.pooled,
    cvK: cv.k,
    cvNote: cv.note ?? null,
    cvFoldMeanStd: cv.foldMeanStd,
    ...night,
    holdout,
    trainAccuracy,
    importance: imp.importances.map((f) => ({ feature: f.feature, mean: f.mean, std: f.std })),
    importanceMetric: imp.metric,
    importanceNote: imp.note ?? null,
    seconds: { fit: tFit, cv: tCv, importance: tImp, committee: tCom },
  };
}

interface NightCv {
  cvNight: BinaryMetrics | null;
  cvNightK: number;
  cvNightGroups: number;
  cvNightUnit: GroupUnit;
  cvNightNote: string | null;
}

/** Cross-validation with whole nights (files) held out; n/a with fewer than MIN_GROUPS of them. */
function nightCv(spec: EngineSpecInput, inp: RoundComputeInput, k: number): NightCv {
  const unit = inp.groupUnit ?? 'night';
  const { train } = inp;
  if (!train.groups) return { cvNight: null, cvNightK: 0, cvNightGroups: 0, cvNightUnit: unit, cvNightNote: `cv_night: n/a — no ${unit} of the labels given` };
  const folds = groupKFold(train.groups, k, unit);
  const cv = crossValidateFolds(spec, train.X, train.n, train.d, train.y, folds, { seed: inp.seed });
  return { cvNight: cv.pooled, cvNightK: cv.k, cvNightGroups: folds.nGroups, cvNightUnit: unit, cvNightNote: folds.note ?? null };
}
