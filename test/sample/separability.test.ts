import { RandomForestClassifier } from 'ml-random-forest';
import { describe, expect, it } from 'vitest';
import { generateNight } from '../../core/sample/generate.js';
import { icrsToGalactic as equatorialToGalactic } from '../../core/features/coords.js';

interface Pt {
  magpsf: number | null;
  isdiffpos: string | null;
}
type Lc = Record<string, number | null> | null;

/**
 * The generator must give active learning something to learn: with roughly the app's features (position, an
 * extinction-like proxy, drb, detection counts and stats, the light-curve features) a decent model separates
 * galactic from extragalactic well, but not perfectly.
 */
describe('galactic vs not on generated alerts', () => {
  it('a random forest reaches good but imperfect cross-validated accuracy', () => {
    const { table, truth } = generateNight({ seed: 5, nAlerts: 1000, night: '2025-06-14', cutouts: 'small' });
    const X: number[][] = [];
    const y: number[] = [];
    const lcKeys = ['amplitude', 'linear_fit_reduced_chi2', 'linear_fit_slope', 'linear_fit_slope_sigma', 'median', 'median_absolute_deviation'];
    for (let i = 0; i < table.numRows; i++) {
      const g = truth[i]!.galactic;
      if (g === null) continue;
      const c = (table.getChild('candidate')!.get(i) as { toJSON(): Pt & { ra: number; dec: number; drb: number } }).toJSON();
      const prvV = table.getChild('prv_candidates')!.get(i) as { toArray(): { toJSON(): Pt }[] } | null;
      const prv = prvV ? prvV.toArray().map((p) => p.toJSON()) : [];
      const mags = [...prv, c].filter((p) => p.isdiffpos === 't').map((p) => p.magpsf!);
      if (mags.length === 0) continue;
      const mean = mags.reduce((s, x) => s + x, 0) / mags.length;
      const b = Math.abs(equatorialToGalactic(c.ra, c.dec).b);
      const lc = (band: string): number[] => {
        const v = table.getChild(`lc_features_${band}`)!.get(i) as { toJSON(): Lc } | null;
        const o = v ? v.toJSON() : null;
        return lcKeys.map((k) => (o && o[k] !== null && Number.isFinite(o[k]) ? o[k]! : -999));
      };
      X.push([
        c.ra,
        c.dec,
        b < 5 ? 0.8 : b < 15 ? 0.3 : 0.04, // stands in for E(B-V)
        c.drb,
        mags.length,
        prv.filter((p) => p.magpsf === null).length,
        [...mags].sort((p, q) => p - q)[mags.length >> 1]!,
        Math.sqrt(mags.reduce((s, x) => s + (x - mean) ** 2, 0) / mags.length),
        ...lc('g'),
        ...lc('r'),
      ]);
      y.push(g ? 1 : 0);
    }
    const share = y.reduce((s, v) => s + v, 0) / y.length;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.7);
    let correct = 0;
    for (let f = 0; f < 3; f++) {
      const tr = X.flatMap((_, i) => (i % 3 !== f ? [i] : []));
      const te = X.flatMap((_, i) => (i % 3 === f ? [i] : []));
      const rf = new RandomForestClassifier({ nEstimators: 20, seed: 1, maxFeatures: 0.5 });
      rf.train(tr.map((i) => X[i]!), tr.map((i) => y[i]!));
      const p = rf.predict(te.map((i) => X[i]!));
      te.forEach((i, k) => (correct += p[k] === y[i] ? 1 : 0));
    }
    const acc = correct / X.length;
    console.log(`galactic vs not, 3-fold CV accuracy of a 20-tree forest: ${acc.toFixed(3)} on ${X.length} alerts`);
    expect(acc).toBeGreaterThan(0.82);
    expect(acc).toBeLessThan(0.98);
  });
});
