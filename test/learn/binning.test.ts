import { describe, expect, it } from 'vitest';
import { binValue, fitBins, MISSING_BIN, transformBins } from '../../core/learn/binning.js';

describe('binning', () => {
  it('few distinct values: midpoints; NaN to the missing bin', () => {
    const X = Float64Array.from([1, 2, 2, 4, NaN]);
    const m = fitBins(X, 5, 1);
    expect(Array.from(m.edges[0])).toEqual([1.5, 3]);
    expect(m.nBins[0]).toBe(3);
    expect(m.hasMissing[0]).toBe(1);
    expect(Array.from(transformBins(X, 5, 1, m))).toEqual([0, 1, 1, 2, MISSING_BIN]);
    expect(binValue(m.edges[0], 1.5)).toBe(0); // x <= edge goes to the lower bin
    expect(binValue(m.edges[0], -Infinity)).toBe(0);
    expect(binValue(m.edges[0], Infinity)).toBe(2);
  });

  it('many distinct values: at most maxBins bins of about equal counts', () => {
    const n = 10000;
    const X = Float64Array.from({ length: n }, (_, i) => Math.sqrt(i));
    const m = fitBins(X, n, 1, { maxBins: 10 });
    expect(m.nBins[0]).toBe(10);
    const counts = new Array(10).fill(0);
    for (const b of transformBins(X, n, 1, m)) counts[b]++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThanOrEqual(2);
  });

  it('column-major output, constant and all-NaN columns', () => {
    const X = Float64Array.from([5, NaN, 5, NaN, 5, NaN]); // 3 rows × 2
    const m = fitBins(X, 3, 2);
    expect(m.nBins[0]).toBe(1);
    expect(m.nBins[1]).toBe(1);
    expect(Array.from(transformBins(X, 3, 2, m))).toEqual([0, 0, 0, 255, 255, 255]);
  });
});
