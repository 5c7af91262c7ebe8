/**
 * The one Classifier interface of the learning engine, the engine spec (zod) and the registry.
 * X is row-major n × d (Float64Array, NaN = missing); y holds class indices (0/1 for the binary tasks);
 * predictProba returns n × nClasses row-major (n × 2 for binary), rows summing to 1.
 * Every engine is deterministic from its seed: same spec + same data -> identical JSON.
 */
import { z } from 'zod';
import type { FitOptions } from './engine-common.js';
import { ENGINE_NAMES, type EngineName } from './engines.js';
import { HgbParamsSchema, HistGradientBoosting } from './hist-gbm.js';
import { HrfParamsSchema, HistRandomForest } from './hist-forest.js';
import { MlrfParamsSchema, MlRandomForest } from './mlrf-adapter.js';

export type { FitOptions } from './engine-common.js';

export { ENGINE_NAMES, type EngineName } from './engines.js';

export interface Classifier {
  readonly engine: EngineName;
  /** Column names; set at construction (spec.featureNames) or at fit (opts.featureNames); default f0, f1, ... */
  featureNames: string[];
  /** d seen at fit (0 before). */
  readonly nFeatures: number;
  /** Number of probability columns (2 for binary tasks). */
  readonly nClasses: number;
  readonly fitted: boolean;
  fit(X: Float64Array, n: number, d: number, y: Uint8Array | Int32Array, opts?: FitOptions): void;
  predictProba(X: Float64Array, n: number): Float64Array;
  toJSON(): EngineJSON;
}

const seed = z.number().int().default(0);
const featureNames = z.array(z.string()).optional();

export const EngineSpecSchema = z.discriminatedUnion('engine', [
  z.object({ engine: z.literal('hgb'), params: HgbParamsSchema.prefault({}), seed, featureNames }),
  z.object({ engine: z.literal('hrf'), params: HrfParamsSchema.prefault({}), seed, featureNames }),
  z.object({ engine: z.literal('mlrf'), params: MlrfParamsSchema.prefault({}), seed, featureNames }),
]);
/** A parsed spec (defaults filled in). */
export type EngineSpec = z.output<typeof EngineSpecSchema>;
/** What callers may write: params and seed optional, e.g. { engine: 'hgb' }. */
export type EngineSpecInput = z.input<typeof EngineSpecSchema>;

export const EngineJSONSchema = z.object({
  format: z.literal('finkvra-engine'),
  version: z.literal(1),
  engine: z.enum(ENGINE_NAMES),
  params: z.record(z.string(), z.unknown()),
  seed: z.number().int(),
  featureNames: z.array(z.string()),
  nFeatures: z.number().int().nonnegative(),
  nClasses: z.number().int().min(2),
  /** Engine-specific fitted state (null before fit). */
  model: z.unknown(),
});
export type EngineJSON = z.infer<typeof EngineJSONSchema>;

/** Build an unfitted classifier from a spec (validated; defaults filled in). */
export function createClassifier(specInput: EngineSpecInput): Classifier {
  const spec = EngineSpecSchema.parse(specInput);
  switch (spec.engine) {
    case 'hgb':
      return new HistGradientBoosting(spec.params, spec.seed, spec.featureNames);
    case 'hrf':
      return new HistRandomForest(spec.params, spec.seed, spec.featureNames);
    case 'mlrf':
      return new MlRandomForest(spec.params, spec.seed, spec.featureNames);
  }
}

/** Rebuild a classifier (fitted or not) from its toJSON() output. */
export function classifierFromJSON(input: unknown): Classifier {
  const json = EngineJSONSchema.parse(input);
  switch (json.engine) {
    case 'hgb':
      return HistGradientBoosting.fromJSON(json);
    case 'hrf':
      return HistRandomForest.fromJSON(json);
    case 'mlrf':
      return MlRandomForest.fromJSON(json);
  }
}

/** Probability of class 1 per row, from an n × k probability matrix. */
export function positiveColumn(proba: Float64Array, n: number, k = 2): Float64Array {
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = proba[i * k + 1];
  return p;
}
