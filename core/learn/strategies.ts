/**
 * Query strategies over an n × k probability matrix (k = 2 for the binary tasks). Each returns ranked picks
 * { index, score, reason } without duplicates, best first; ties go to the lower row index, so a ranking is a pure
 * function of its inputs (and of the seed for random). The seed's script computed |p - 0.5| but forgot to sort.
 *
 * - least confidence: score 1 - max_c p_c, largest first
 * - margin: score p_(1) - p_(2) (top two classes), smallest first
 * - entropy: score -sum_c p_c ln p_c, largest first
 * - committee: vote entropy over members (e.g. models trained on bootstrap resamples), largest first, ties broken
 *   by the entropy of the members' mean probabilities
 * - random: seeded shuffle
 * For two classes the three uncertainty scores order rows identically; they are kept distinct for multi-class tasks.
 * diverseBatch() then turns a ranking into a batch that does not spend itself on one object or one tight cluster.
 */
import { Rng } from './random.js';

/** The pool rankings (rankByStrategy). */
export const RANKINGS = ['random', 'least_confidence', 'margin', 'entropy', 'committee'] as const;
export type StrategyName = (typeof RANKINGS)[number];

/**
 * The registry of query strategies one chooses (settings, API, CLI, simulate grids, Settings screen): a ranking, or
 * 'diversity', which ranks by least confidence and spreads the batch in feature space (diverseBatch).
 */
export const STRATEGIES = [...RANKINGS, 'diversity'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** What each strategy does, in a few words (the Settings screen's options). */
export const STRATEGY_TEXT: Record<Strategy, string> = {
  random: 'seeded random draw',
  least_confidence: 'least confident first',
  margin: 'smallest margin between the top two classes',
  entropy: 'highest entropy',
  committee: 'bootstrap committee disagreement',
  diversity: 'least confident, spread in feature space',
};

export interface Pick {
  /** Row of the pool. */
  index: number;
  /** The strategy's score (see above for its direction). */
  score: number;
  reason: string;
}

const fmt = (v: number): string => v.toFixed(3);

function checkProba(proba: Float64Array, n: number, k: number): void {
  if (proba.length !== n * k) throw new RangeError(`strategies: proba has ${proba.length} values, expected ${n} × ${k}`);
}

/** Sort row indices by key (descending when `desc`), ties by index; keep the first `count`. */
function rankBy(n: number, key: Float64Array, desc: boolean, count: number, tie?: Float64Array): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => {
    const d = desc ? key[b] - key[a] : key[a] - key[b];
    if (d !== 0 && !Number.isNaN(d)) return d;
    if (tie) {
      const t = tie[b] - tie[a];
      if (t !== 0 && !Number.isNaN(t)) return t;
    }
    return a - b;
  });
  return idx.slice(0, Math.max(0, Math.min(n, count)));
}

/** 1 - max_c p_c per row. */
export function leastConfidenceScores(proba: Float64Array, n: number, k = 2): Float64Array {
  checkProba(proba, n, k);
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let c = 0; c < k; c++) m = Math.max(m, proba[i * k + c]);
    s[i] = 1 - m;
  }
  return s;
}

/** p_(1) - p_(2) per row (difference of the two largest class probabilities). */
export function marginScores(proba: Float64Array, n: number, k = 2): Float64Array {
  checkProba(proba, n, k);
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let a = -Infinity;
    let b = -Infinity;
    for (let c = 0; c < k; c++) {
      const p = proba[i * k + c];
      if (p > a) {
        b = a;
        a = p;
      } else if (p > b) b = p;
    }
    s[i] = a - b;
  }
  return s;
}

/** Shannon entropy (natural log) of a probability vector. */
function entropyOf(p: ArrayLike<number>, off: number, k: number): number {
  let h = 0;
  for (let c = 0; c < k; c++) {
    const v = p[off + c];
    if (v > 0) h -= v * Math.log(v);
  }
  return h;
}

export function entropyScores(proba: Float64Array, n: number, k = 2): Float64Array {
  checkProba(proba, n, k);
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) s[i] = entropyOf(proba, i * k, k);
  return s;
}

export function rankRandom(n: number, count: number, seed: number): Pick[] {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  new Rng(seed).shuffle(perm);
  return Array.from(perm.subarray(0, Math.min(n, count)), (index, r) => ({
    index,
    score: r,
    reason: `random (seed ${seed}), draw ${r + 1}`,
  }));
}

export function rankLeastConfidence(proba: Float64Array, n: number, count = n, k = 2): Pick[] {
  const s = leastConfidenceScores(proba, n, k);
  return rankBy(n, s, true, count).map((index) => ({
    index,
    score: s[index],
    reason: `least confidence ${fmt(s[index])} (max p ${fmt(1 - s[index])})`,
  }));
}

export function rankMargin(proba: Float64Array, n: number, count = n, k = 2): Pick[] {
  const s = marginScores(proba, n, k);
  return rankBy(n, s, false, count).map((index) => ({
    index,
    score: s[index],
    reason: `margin ${fmt(s[index])} between the two most likely classes`,
  }));
}

export function rankEntropy(proba: Float64Array, n: number, count = n, k = 2): Pick[] {
  const s = entropyScores(proba, n, k);
  return rankBy(n, s, true, count).map((index) => ({
    index,
    score: s[index],
    reason: `entropy ${fmt(s[index])} nats`,
  }));
}

/**
 * Vote entropy over a committee: each member votes for its most probable class (lowest class on ties);
 * score = -sum_c (v_c / M) ln(v_c / M). Ties (votes are discrete) are broken by the entropy of the mean probability.
 */
export function rankCommittee(members: Float64Array[], n: number, count = n, k = 2): Pick[] {
  if (members.length === 0) throw new RangeError('committee: no members');
  for (const m of members) checkProba(m, n, k);
  const M = members.length;
  const s = new Float64Array(n);
  const soft = new Float64Array(n);
  const votes = new Float64Array(k);
  const mean = new Float64Array(k);
  const voteText: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    votes.fill(0);
    mean.fill(0);
    for (const m of members) {
      let best = 0;
      for (let c = 1; c < k; c++) if (m[i * k + c] > m[i * k + best]) best = c;
      votes[best]++;
      for (let c = 0; c < k; c++) mean[c] += m[i * k + c] / M;
    }
    let h = 0;
    for (let c = 0; c < k; c++) if (votes[c] > 0) h -= (votes[c] / M) * Math.log(votes[c] / M);
    s[i] = h;
    soft[i] = entropyOf(mean, 0, k);
    voteText[i] = Array.from(votes).join('/');
  }
  return rankBy(n, s, true, count, soft).map((index) => ({
    index,
    score: s[index],
    reason: `committee vote entropy ${fmt(s[index])} (votes ${voteText[index]} of ${M})`,
  }));
}

export interface RankOptions {
  /** Pool probabilities, n × k (not needed for random / committee). */
  proba?: Float64Array;
  /** Committee members' pool probabilities (committee only). */
  members?: Float64Array[];
  n: number;
  k?: number;
  count?: number;
  seed?: number;
}

export function rankByStrategy(strategy: StrategyName, o: RankOptions): Pick[] {
  const k = o.k ?? 2;
  const count = o.count ?? o.n;
  const need = (): Float64Array => {
    if (!o.proba) throw new RangeError(`${strategy}: pool probabilities are required`);
    return o.proba;
  };
  switch (strategy) {
    case 'random':
      return rankRandom(o.n, count, o.seed ?? 0);
    case 'least_confidence':
      return rankLeastConfidence(need(), o.n, count, k);
    case 'margin':
      return rankMargin(need(), o.n, count, k);
    case 'entropy':
      return rankEntropy(need(), o.n, count, k);
    case 'committee':
      if (!o.members) throw new RangeError('committee: member probabilities are required');
      return rankCommittee(o.members, o.n, count, k);
  }
}

export interface DiversityOptions {
  /** Batch size. */
  count: number;
  /** objectId of each pool row: at most one alert per object while other candidates remain. */
  objectIds?: ArrayLike<string>;
  /** Pool features (row-major, d columns) for the distance rule; standardised with the pool's mean and std. */
  X?: Float64Array;
  d?: number;
  /**
   * Candidates closer than this to an already picked one are deferred. Distance = root-mean-square over features of
   * the standardised difference (a NaN on one side only counts 1, on both sides 0); random pairs sit near sqrt(2).
   * Default 0.25.
   */
  radius?: number;
}

/**
 * Greedy diversity-aware batch from a ranking (best first): take the top candidate, then walk down the ranking,
 * deferring candidates of an already picked objectId or within `radius` of a picked row. Deferred candidates fill the
 * batch (in rank order) only when the ranking runs out.
 */
export function diverseBatch(ranked: Pick[], o: DiversityOptions): Pick[] {
  const radius = o.radius ?? 0.25;
  const d = o.d ?? 0;
  let mean: Float64Array | null = null;
  let inv: Float64Array | null = null;
  if (o.X && d > 0) {
    const n = o.X.length / d;
    mean = new Float64Array(d);
    inv = new Float64Array(d);
    for (let f = 0; f < d; f++) {
      let s = 0;
      let s2 = 0;
      let c = 0;
      for (let i = 0; i < n; i++) {
        const v = o.X[i * d + f];
        if (v === v) {
          s += v;
          s2 += v * v;
          c++;
        }
      }
      const m = c ? s / c : 0;
      const sd = c ? Math.sqrt(Math.max(0, s2 / c - m * m)) : 0;
      mean[f] = m;
      inv[f] = sd > 0 ? 1 / sd : 0;
    }
  }
  const dist = (a: number, b: number): number => {
    const X = o.X!;
    let s = 0;
    for (let f = 0; f < d; f++) {
      const va = X[a * d + f];
      const vb = X[b * d + f];
      const na = va !== va;
      const nb = vb !== vb;
      if (na || nb) {
        if (na !== nb) s += 1;
        continue;
      }
      const z = (va - vb) * inv![f];
      s += z * z;
    }
    return Math.sqrt(s / d);
  };
  const picked: Pick[] = [];
  const deferred: { pick: Pick; why: string }[] = [];
  const objects = new Set<string>();
  const seen = new Set<number>();
  for (const cand of ranked) {
    if (picked.length >= o.count) break;
    if (seen.has(cand.index)) continue;
    seen.add(cand.index);
    const obj = o.objectIds?.[cand.index];
    if (obj !== undefined && objects.has(obj)) {
      deferred.push({ pick: cand, why: `same object ${obj} as an earlier pick` });
      continue;
    }
    if (mean && picked.length > 0) {
      let near = -1;
      let nearD = Infinity;
      for (const p of picked) {
        const dd = dist(cand.index, p.index);
        if (dd < radius && dd < nearD) {
          near = p.index;
          nearD = dd;
        }
      }
      if (near >= 0) {
        deferred.push({ pick: cand, why: `within ${fmt(nearD)} of row ${near}` });
        continue;
      }
    }
    if (obj !== undefined) objects.add(obj);
    picked.push({ ...cand, reason: picked.length === 0 ? `${cand.reason}; top of the ranking` : `${cand.reason}; diverse` });
  }
  for (const { pick, why } of deferred) {
    if (picked.length >= o.count) break;
    picked.push({ ...pick, reason: `${pick.reason}; deferred (${why}), used to fill the batch` });
  }
  return picked;
}
