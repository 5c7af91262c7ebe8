/**
 * Adapter for ml-random-forest 2.1.0 (the product card's original engine), kept selectable for comparison.
 * Its defects and how they are handled here:
 * - `predictProbability` starts its reduce from the first tree's vote (a class index) instead of 0, so the first tree
 *   is dropped (9 of 10 trees voting 1 give 0.9 - 0.1 + 1e-6). We count votes from `predictionValues` instead.
 * - `train` throws with `noOOB: false` and one tree: OOB is never computed here (noOOB: true always).
 * - `maxFeatures` is drawn once per TREE (not per split): a low value starves most trees of the informative features
 *   (accuracy 0.81 -> 0.52 at maxFeatures 5 on 22 features). Default here = its default, 1.0 (all columns, drawn with
 *   replacement, so each tree sees ~63% distinct features).
 * - It cannot take NaN: missing values are imputed with the training medians (stored in the model JSON).
 * - It has no sample weights: weights (and classWeight) are applied by a deterministic weighted resampling of the n
 *   training rows before its own bootstrap.
 * - Its cost grows with features × rows² per node: minutes at 1,000 rows, hours at 10,000. Prefer 'hrf' / 'hgb'.
 */
import { z } from 'zod';
import { RandomForestClassifier } from 'ml-random-forest';
import type { Classifier, EngineJSON } from './classifier.js';
import { checkPredictInput, EngineBase, rowWeights, type FitOptions } from './engine-common.js';
import { Rng } from './random.js';

export const MlrfParamsSchema = z.object({
  nEstimators: z.number().int().positive().default(100),
  /** Features per TREE (ml-random-forest semantics): a fraction in (0, 1] or an integer count. */
  maxFeatures: z.number().positive().default(1.0),
  /** Draw the per-tree features with replacement (library default true). */
  replacement: z.boolean().default(true),
  maxDepth: z.number().int().positive().nullable().default(null),
  /** ml-cart's minNumSamples (library default 3). */
  minNumSamples: z.number().int().positive().default(3),
  /** ml-cart's gainThreshold (library default 0.01). */
  gainThreshold: z.number().nonnegative().default(0.01),
  classWeight: z.union([z.literal('balanced'), z.null(), z.array(z.number().nonnegative())]).default(null),
});
export type MlrfParams = z.output<typeof MlrfParamsSchema>;

const MlrfModelSchema = z.object({
  medians: z.array(z.number()),
  forest: z.record(z.string(), z.unknown()),
});

export class MlRandomForest extends EngineBase<MlrfParams> implements Classifier {
  readonly engine = 'mlrf' as const;
  private medians: number[] = [];
  private rf: RandomForestClassifier | null = null;

  fit(X: Float64Array, n: number, d: number, y: Uint8Array | Int32Array, opts: FitOptions = {}): void {
    const K = this.beginFit(X, n, d, y, opts);
    this.nClasses = K;
    const p = this.params;
    this.medians = columnMedians(X, n, d);
    const rows = weightedRows(n, y, K, p.classWeight, opts.sampleWeight, this.seed);
    const Xr = rows.map((i) => this.imputedRow(X, i, d));
    const yr = rows.map((i) => y[i]);
    const rf = new RandomForestClassifier({
      nEstimators: p.nEstimators,
      maxFeatures: p.maxFeatures,
      replacement: p.replacement,
      seed: this.seed | 0,
      useSampleBagging: true,
      noOOB: true,
      treeOptions: {
        maxDepth: p.maxDepth ?? Infinity,
        minNumSamples: p.minNumSamples,
        gainThreshold: p.gainThreshold,
      },
    });
    rf.train(Xr, yr);
    this.rf = rf;
    this.fitted = true;
  }

  private imputedRow(X: Float64Array, i: number, d: number): number[] {
    const r = new Array<number>(d);
    for (let f = 0; f < d; f++) {
      const v = X[i * d + f];
      r[f] = v !== v ? this.medians[f] : v;
    }
    return r;
  }

  /** Vote fractions counted from every tree's prediction (not the library's predictProbability: see above). */
  predictProba(X: Float64Array, n: number): Float64Array {
    checkPredictInput(X, n, this.nFeatures, this.fitted);
    const d = this.nFeatures;
    const K = this.nClasses;
    const out = new Float64Array(n * K);
    if (n === 0) return out;
    const rows = new Array<number[]>(n);
    for (let i = 0; i < n; i++) rows[i] = this.imputedRow(X, i, d);
    const votes = this.rf!.predictionValues(rows);
    const T = votes.columns;
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < T; t++) {
        const c = votes.get(i, t);
        if (c >= 0 && c < K) out[i * K + c] += 1;
      }
      for (let k = 0; k < K; k++) out[i * K + k] /= T;
    }
    return out;
  }

  /** The library's own (buggy) probability of `label`, kept to demonstrate the defect in tests. */
  libraryProbability(X: Float64Array, n: number, label: number): number[] {
    checkPredictInput(X, n, this.nFeatures, this.fitted);
    const rows = Array.from({ length: n }, (_, i) => this.imputedRow(X, i, this.nFeatures));
    return this.rf!.predictProbability(rows, label);
  }

  protected modelJSON(): unknown {
    // The library's toJSON holds class instances (tree nodes): stringify once to get plain data.
    return { medians: this.medians, forest: JSON.parse(JSON.stringify(this.rf!.toJSON())) as unknown };
  }

  static fromJSON(json: EngineJSON): MlRandomForest {
    const m = new MlRandomForest(MlrfParamsSchema.parse(json.params), json.seed, json.featureNames);
    return m.restore(json, (raw) => {
      const model = MlrfModelSchema.parse(raw);
      m.medians = model.medians;
      m.rf = RandomForestClassifier.load(model.forest as unknown as Parameters<typeof RandomForestClassifier.load>[0]);
    });
  }
}

/** Median of the non-NaN values of each column (0 for an all-NaN column). */
export function columnMedians(X: Float64Array, n: number, d: number): number[] {
  const out: number[] = [];
  const col = new Float64Array(n);
  for (let f = 0; f < d; f++) {
    let k = 0;
    for (let i = 0; i < n; i++) {
      const v = X[i * d + f];
      if (v === v) col[k++] = v;
    }
    if (k === 0) {
      out.push(0);
      continue;
    }
    const s = col.subarray(0, k).sort();
    out.push(k % 2 ? s[(k - 1) / 2] : (s[k / 2 - 1] + s[k / 2]) / 2);
  }
  return out;
}

/**
 * Row indices to train on: 0..n-1 when all weights are equal, else n rows drawn by systematic resampling with
 * probability proportional to weight (deterministic from the seed).
 */
function weightedRows(
  n: number,
  y: Uint8Array | Int32Array,
  K: number,
  classWeight: MlrfParams['classWeight'],
  sw: Float64Array | undefined,
  seed: number,
): number[] {
  const w = rowWeights(y, K, classWeight, sw);
  let equal = true;
  for (let i = 1; i < n && equal; i++) if (w[i] !== w[0]) equal = false;
  if (equal) return Array.from({ length: n }, (_, i) => i);
  let total = 0;
  for (let i = 0; i < n; i++) total += w[i];
  if (!(total > 0)) throw new RangeError('mlrf: all sample weights are zero');
  const step = total / n;
  let u = new Rng(seed).next() * step;
  const rows: number[] = [];
  let cum = 0;
  for (let i = 0; i < n; i++) {
    cum += w[i];
    while (u < cum && rows.length < n) {
      rows.push(i);
      u += step;
    }
  }
  return rows;
}
