/** Helpers shared by the engines: input checks, class and sample weights, feature names, the common base class. */
import type { EngineJSON, EngineName } from './classifier.js';
import type { Tree } from './tree.js';

export interface FitOptions {
  /** One non-negative weight per row (default 1). */
  sampleWeight?: Float64Array;
  /** Names of the d columns (overrides names given at construction). */
  featureNames?: string[];
}

export function checkFitInput(X: Float64Array, n: number, d: number, y: ArrayLike<number>, sw?: Float64Array): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`fit: need at least one row (n = ${n})`);
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`fit: need at least one feature (d = ${d})`);
  if (X.length !== n * d) throw new RangeError(`fit: X has ${X.length} values, expected n × d = ${n * d}`);
  if (y.length !== n) throw new RangeError(`fit: y has ${y.length} labels, expected ${n}`);
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (!Number.isInteger(v) || v < 0 || v > 254) throw new RangeError(`fit: y[${i}] = ${v} is not a class index`);
  }
  if (sw) {
    if (sw.length !== n) throw new RangeError(`fit: sampleWeight has ${sw.length} values, expected ${n}`);
    for (let i = 0; i < n; i++) {
      if (!(sw[i] >= 0) || !Number.isFinite(sw[i])) throw new RangeError(`fit: sampleWeight[${i}] = ${sw[i]}`);
    }
  }
}

export function checkPredictInput(X: Float64Array, n: number, d: number, fitted: boolean): void {
  if (!fitted) throw new Error('predictProba: the model is not fitted');
  if (X.length !== n * d) throw new RangeError(`predictProba: X has ${X.length} values, expected n × d = ${n * d}`);
}

/** Number of classes: at least 2 (a one-class training set still predicts two columns). */
export function countClasses(y: ArrayLike<number>): number {
  let max = 1;
  for (let i = 0; i < y.length; i++) if (y[i] > max) max = y[i];
  return max + 1;
}

export type ClassWeight = 'balanced' | null | number[];

/**
 * Per-row weight = sampleWeight × class weight, with 'balanced' = n / (K × count_k) on the unweighted counts
 * (scikit-learn's compute_sample_weight), K = number of classes present.
 */
export function rowWeights(
  y: ArrayLike<number>,
  nClasses: number,
  classWeight: ClassWeight | undefined,
  sw?: Float64Array,
): Float64Array {
  const n = y.length;
  const w = new Float64Array(n);
  const cw = new Float64Array(nClasses).fill(1);
  if (classWeight === 'balanced') {
    const counts = new Float64Array(nClasses);
    for (let i = 0; i < n; i++) counts[y[i]]++;
    let present = 0;
    for (let k = 0; k < nClasses; k++) if (counts[k] > 0) present++;
    for (let k = 0; k < nClasses; k++) cw[k] = counts[k] > 0 ? n / (present * counts[k]) : 1;
  } else if (Array.isArray(classWeight)) {
    for (let k = 0; k < nClasses; k++) cw[k] = classWeight[k] ?? 1;
  }
  for (let i = 0; i < n; i++) w[i] = (sw ? sw[i] : 1) * cw[y[i]];
  return w;
}

export function defaultFeatureNames(d: number): string[] {
  return Array.from({ length: d }, (_, i) => `f${i}`);
}

export function resolveFeatureNames(d: number, given: string[] | undefined, fromOpts: string[] | undefined): string[] {
  const names = fromOpts ?? given;
  if (!names || names.length === 0) return defaultFeatureNames(d);
  if (names.length !== d) throw new RangeError(`fit: ${names.length} feature names for ${d} columns`);
  return [...names];
}

/**
 * What every engine shares: the constructor (params, seed, feature names), the fit prologue and the toJSON envelope.
 * A subclass supplies only its engine name, its fit body, predictProba, and its fitted state (modelJSON / restore).
 */
export abstract class EngineBase<P extends Record<string, unknown>> {
  abstract readonly engine: EngineName;
  featureNames: string[];
  /** d seen at fit (0 before). */
  nFeatures = 0;
  nClasses = 2;
  fitted = false;

  constructor(
    readonly params: P,
    readonly seed = 0,
    featureNames?: string[],
  ) {
    this.featureNames = featureNames ? [...featureNames] : [];
  }

  /** Validate the input, settle the feature names and d; returns the number of classes (>= 2) in y. */
  protected beginFit(X: Float64Array, n: number, d: number, y: ArrayLike<number>, opts: FitOptions): number {
    checkFitInput(X, n, d, y, opts.sampleWeight);
    this.featureNames = resolveFeatureNames(d, this.featureNames.length ? this.featureNames : undefined, opts.featureNames);
    this.nFeatures = d;
    return countClasses(y);
  }

  /** The engine-specific fitted state (only called when fitted). */
  protected abstract modelJSON(): unknown;

  toJSON(): EngineJSON {
    return {
      format: 'finkvra-engine',
      version: 1,
      engine: this.engine,
      params: { ...this.params },
      seed: this.seed,
      featureNames: [...this.featureNames],
      nFeatures: this.nFeatures,
      nClasses: this.nClasses,
      model: this.fitted ? this.modelJSON() : null,
    };
  }

  /** Restore the envelope's shape fields and, when present, the fitted state (the subclass parses `model`). */
  protected restore(json: EngineJSON, loadModel: (model: unknown) => void): this {
    this.nFeatures = json.nFeatures;
    this.nClasses = json.nClasses;
    if (json.model != null) {
      loadModel(json.model);
      this.fitted = true;
    }
    return this;
  }
}

/** An engine whose model is a list of flat trees (hgb, hrf). */
export abstract class TreeEnsembleBase<P extends Record<string, unknown>> extends EngineBase<P> {
  protected trees: Tree[] = [];

  get treeCount(): number {
    return this.trees.length;
  }
}
