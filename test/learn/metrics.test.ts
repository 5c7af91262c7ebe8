import { describe, expect, it } from 'vitest';
import {
  binaryMetrics,
  confusionMatrix,
  figureOfMerit,
  flattenMetrics,
  logLoss,
  rocAuc,
} from '../../core/learn/metrics.js';

describe('metrics against hand-computed values', () => {
  // y:    1    1    1    0    0    0    0    1
  // p:   .9   .8   .3   .6   .2   .1   .4   .7   -> pred 1 1 0 1 0 0 0 1
  const y = [1, 1, 1, 0, 0, 0, 0, 1];
  const p = [0.9, 0.8, 0.3, 0.6, 0.2, 0.1, 0.4, 0.7];

  it('confusion matrix and ratios', () => {
    const m = binaryMetrics(y, p);
    // TP = 3 (.9 .8 .7), FN = 1 (.3), FP = 1 (.6), TN = 3
    expect(m.confusion.matrix).toEqual([[3, 1], [1, 3]]);
    expect(m.accuracy).toBe(6 / 8);
    expect(m.balancedAccuracy).toBe((3 / 4 + 3 / 4) / 2);
    expect(m.precision).toBe(3 / 4);
    expect(m.recall).toBe(3 / 4);
    expect(m.f1).toBe(0.75);
    expect(m.efficiency).toBe(3 / 4);
    expect(m.purity).toBe(3 / 4);
    expect(m.figureOfMerit).toBeCloseTo((3 / 4) * (3 / (3 + 3 * 1)), 12);
    expect(flattenMetrics(m, 'cv_').cv_tp).toBe(3);
  });

  it('ROC AUC by pair counting', () => {
    // positives .9 .8 .3 .7 vs negatives .6 .2 .1 .4: pairs won = 4 + 4 + 2 (.3 > .2,.1) + 4 = 14 of 16
    expect(rocAuc(y, p)).toBeCloseTo(14 / 16, 12);
  });

  it('ROC AUC counts ties as one half', () => {
    // positives 0.5, 0.9; negatives 0.5, 0.1: pairs (0.5 vs 0.5) = 1/2, (0.5 vs 0.1) = 1, (0.9, *) = 2 -> 3.5 / 4
    expect(rocAuc([1, 1, 0, 0], [0.5, 0.9, 0.5, 0.1])).toBeCloseTo(3.5 / 4, 12);
    expect(rocAuc([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
    expect(rocAuc([1, 1], [0.2, 0.3])).toBeNaN();
  });

  it('log loss, with clipping', () => {
    expect(logLoss([1, 0], [0.8, 0.4])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
    expect(logLoss([1], [0])).toBeCloseTo(-Math.log(1e-15), 6);
  });

  it('empty denominators give 0 (no predicted positives), balanced accuracy over present classes', () => {
    const m = binaryMetrics([0, 0, 1], [0.1, 0.2, 0.3]);
    expect(m.confusion).toMatchObject({ tn: 2, fp: 0, fn: 1, tp: 0 });
    expect(m.precision).toBe(0);
    expect(m.purity).toBe(0);
    expect(m.f1).toBe(0);
    expect(m.balancedAccuracy).toBe(0.5);
    expect(figureOfMerit(confusionMatrix([1, 0, 0, 1], [1, 1, 1, 1]))).toBeCloseTo(1 * (2 / (2 + 6)), 12);
  });
});

describe('class balance', () => {
  it('counts, fractions and warnings', async () => {
    const { classBalance, predictedBalance } = await import('../../core/learn/balance.js');
    const b = classBalance([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1], 2, { classNames: ['not galactic', 'galactic'] });
    expect(b.counts).toEqual([10, 2]);
    expect(b.fractions[1]).toBeCloseTo(2 / 12, 12);
    expect(b.warnings).toEqual(['galactic: only 2 labelled (fewer than 3)']);
    const p = predictedBalance(Float64Array.from([0.95, 0.05, 0.97, 0.03]), 2);
    expect(p.fractions[1]).toBeCloseTo(0.04, 12);
    expect(p.warnings[0]).toMatch(/class 1: predicted fraction 4.0% is under 10%/);
  });
});
