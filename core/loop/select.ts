/**
 * From the app's strategy setting to a batch, on top of core/learn/strategies.ts: rank the pool by the strategy's
 * score (the seed forgot to sort) and take the top N through diverseBatch, which keeps at most one alert per object
 * while other candidates remain. The 'diversity' setting ranks by least confidence and also spreads the batch in
 * feature space. Round 0 has no model: a seeded random draw, or the same diversity rule over a random order.
 */
import { diverseBatch, rankByStrategy, rankRandom, type Pick, type Strategy, type StrategyName } from '../learn/strategies.js';

export type { Pick } from '../learn/strategies.js';

/** The strategies of the settings (core/learn/strategies.ts STRATEGIES). */
export type LoopStrategy = Strategy;

export interface BatchInput {
  strategy: LoopStrategy;
  count: number;
  seed: number;
  n: number;
  objectIds: readonly string[];
  /** Pool features (row-major, d columns): used by 'diversity'. */
  X?: Float64Array;
  d?: number;
  /** n × k pool probabilities (model strategies). */
  proba?: Float64Array;
  /** Committee members' pool probabilities. */
  members?: Float64Array[];
  k?: number;
}

/** The learn strategy that ranks the pool for a loop strategy. */
export function rankingStrategy(s: LoopStrategy): StrategyName {
  return s === 'diversity' ? 'least_confidence' : s;
}

/** Ranked, de-duplicated batch of `count` pool rows. */
export function selectBatch(b: BatchInput): Pick[] {
  const ranked = rankByStrategy(rankingStrategy(b.strategy), {
    proba: b.proba,
    members: b.members,
    n: b.n,
    k: b.k ?? 2,
    seed: b.seed,
  });
  const spread = b.strategy === 'diversity' && b.X && b.d;
  return diverseBatch(ranked, {
    count: b.count,
    objectIds: b.objectIds,
    ...(spread ? { X: b.X, d: b.d } : {}),
  });
}

/** Round 0: N0 rows without a model (a seeded random draw; 'diversity' spreads that draw in feature space). */
export function initialBatch(
  strategy: 'random' | 'diversity',
  count: number,
  seed: number,
  n: number,
  objectIds: readonly string[],
  X?: Float64Array,
  d?: number,
): Pick[] {
  const ranked = rankRandom(n, n, seed);
  const spread = strategy === 'diversity' && X && d;
  return diverseBatch(ranked, { count, objectIds, ...(spread ? { X, d } : {}) });
}

/**
 * The query score as the contract shows it (higher = more informative): margin's p₁ − p₂ (smallest first) becomes
 * 1 − margin; a random draw has no score (null); the others are already oriented that way.
 */
export function informativeness(strategy: LoopStrategy, score: number): number | null {
  if (strategy === 'random') return null;
  if (strategy === 'margin') return 1 - score;
  return score;
}
