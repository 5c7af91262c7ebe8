import { describe, expect, it } from 'vitest';
import {
  diverseBatch,
  entropyScores,
  rankByStrategy,
  rankCommittee,
  rankEntropy,
  rankLeastConfidence,
  rankMargin,
  rankRandom,
} from '../../core/learn/strategies.js';

const proba2 = (p1: number[]): Float64Array => Float64Array.from(p1.flatMap((p) => [1 - p, p]));

describe('query strategies', () => {
  // p1:        0.9   0.5   0.3   0.55  0.5   0.05
  const P = proba2([0.9, 0.5, 0.3, 0.55, 0.5, 0.05]);

  it('least confidence: 1 - max p, largest first, ties by index', () => {
    const r = rankLeastConfidence(P, 6);
    expect(r.map((x) => x.index)).toEqual([1, 4, 3, 2, 0, 5]);
    expect(r[0].score).toBeCloseTo(0.5, 12);
    expect(r[2].score).toBeCloseTo(0.45, 12);
    expect(r[3].score).toBeCloseTo(0.3, 12);
    expect(r[0].reason).toMatch(/least confidence/);
  });

  it('margin: p(1) - p(2), smallest first', () => {
    const r = rankMargin(P, 6, 3);
    expect(r.map((x) => x.index)).toEqual([1, 4, 3]);
    expect(r.map((x) => x.score)).toEqual([0, 0, expect.closeTo(0.1, 12)]);
  });

  it('entropy: largest first; binary order equals least confidence', () => {
    const r = rankEntropy(P, 6);
    expect(r[0].score).toBeCloseTo(Math.log(2), 12);
    expect(r.map((x) => x.index)).toEqual(rankLeastConfidence(P, 6).map((x) => x.index));
  });

  it('multi-class: the three uncertainty scores differ', () => {
    // row 0: (0.5, 0.5, 0)   -> LC 0.5, margin 0, entropy ln 2 = 0.693
    // row 1: (0.4, 0.3, 0.3) -> LC 0.6, margin 0.1, entropy 1.089
    const P3 = Float64Array.from([0.5, 0.5, 0, 0.4, 0.3, 0.3]);
    expect(rankMargin(P3, 2, 2, 3).map((x) => x.index)).toEqual([0, 1]);
    expect(rankLeastConfidence(P3, 2, 2, 3).map((x) => x.index)).toEqual([1, 0]);
    expect(entropyScores(P3, 2, 3)[1]).toBeCloseTo(-(0.4 * Math.log(0.4) + 0.6 * Math.log(0.3)), 12);
  });

  it('random: seeded, no duplicates, a permutation', () => {
    const a = rankRandom(50, 50, 7);
    const b = rankRandom(50, 50, 7);
    const c = rankRandom(50, 50, 8);
    expect(a.map((x) => x.index)).toEqual(b.map((x) => x.index));
    expect(a.map((x) => x.index)).not.toEqual(c.map((x) => x.index));
    expect(new Set(a.map((x) => x.index)).size).toBe(50);
    expect(rankByStrategy('random', { n: 50, count: 10, seed: 7 })).toHaveLength(10);
  });

  it('committee: vote entropy, ties broken by mean-probability entropy', () => {
    // 3 members, 3 rows. Row 0: votes 1/1/1 (entropy 0). Row 1: votes 1/0/1 (H = -(1/3 ln 1/3 + 2/3 ln 2/3)).
    // Row 2: votes 0/1/0, same vote entropy as row 1 but mean p1 closer to 0.5 -> ranks first.
    const m1 = proba2([0.9, 0.6, 0.45]);
    const m2 = proba2([0.8, 0.1, 0.55]);
    const m3 = proba2([0.7, 0.9, 0.48]);
    const r = rankCommittee([m1, m2, m3], 3);
    const h = -((1 / 3) * Math.log(1 / 3) + (2 / 3) * Math.log(2 / 3));
    expect(r.map((x) => x.index)).toEqual([2, 1, 0]);
    expect(r[0].score).toBeCloseTo(h, 12);
    expect(r[1].score).toBeCloseTo(h, 12);
    expect(r[2].score).toBe(0);
    expect(r[0].reason).toMatch(/votes 2\/1 of 3/);
  });

  it('diverse batch: skips a second alert of one object and near-duplicates, fills when needed', () => {
    // Ranking 0,1,2,3,4. Rows 0 and 1 share an object; row 2 is a near-copy of row 0 in feature space.
    const ranked = [0, 1, 2, 3, 4].map((index) => ({ index, score: 1 - index / 10, reason: 'r' }));
    const X = Float64Array.from([0, 0, 5, 5, 0.01, 0.01, -5, 5, 5, -5]); // 5 rows × 2
    const objectIds = ['A', 'A', 'B', 'C', 'D'];
    const b = diverseBatch(ranked, { count: 3, objectIds, X, d: 2 });
    expect(b.map((x) => x.index)).toEqual([0, 3, 4]);
    const full = diverseBatch(ranked, { count: 5, objectIds, X, d: 2 });
    expect(full.map((x) => x.index)).toEqual([0, 3, 4, 1, 2]);
    expect(full[3].reason).toMatch(/same object A/);
    expect(full[4].reason).toMatch(/within/);
    expect(new Set(full.map((x) => x.index)).size).toBe(5);
  });
});
