import { describe, expect, it } from 'vitest';
import { generateNight } from '../../core/sample/generate.js';
import { computeLcFeatures } from '../../core/sample/lc-features.js';

interface Pt {
  jd: number;
  fid: number;
  magpsf: number | null;
  sigmapsf: number | null;
}

/** Independent hand computation (plain formulas, no shared code) of the features the app uses. */
function byHand(pts: Pt[]): Record<string, number> {
  const m = pts.map((p) => p.magpsf!);
  const s = pts.map((p) => p.sigmapsf!);
  // Times from the first point: raw jd (~2.46e6) would cost the normal equations most of their precision.
  const t = pts.map((p) => p.jd - pts[0]!.jd);
  const sorted = [...m].sort((a, b) => a - b);
  const med = (a: number[]): number => {
    const b = [...a].sort((x, y) => x - y);
    return b.length % 2 ? b[(b.length - 1) / 2]! : (b[b.length / 2 - 1]! + b[b.length / 2]!) / 2;
  };
  const median = med(m);
  // Weighted least squares m = a + b t with w = 1/σ², solved by the 2×2 normal equations on raw t.
  const w = s.map((x) => 1 / x ** 2);
  let S = 0, Sx = 0, Sy = 0, Sxx = 0, Sxy = 0;
  t.forEach((x, i) => {
    S += w[i]!;
    Sx += w[i]! * x;
    Sy += w[i]! * m[i]!;
    Sxx += w[i]! * x * x;
    Sxy += w[i]! * x * m[i]!;
  });
  const D = S * Sxx - Sx * Sx;
  const b = (S * Sxy - Sx * Sy) / D;
  const a = (Sxx * Sy - Sx * Sxy) / D;
  const chi2 = t.reduce((acc, x, i) => acc + w[i]! * (m[i]! - a - b * x) ** 2, 0);
  return {
    median,
    amplitude: (sorted[sorted.length - 1]! - sorted[0]!) / 2,
    median_absolute_deviation: med(m.map((x) => Math.abs(x - median))),
    linear_fit_slope: b,
    linear_fit_slope_sigma: Math.sqrt(S / D),
    linear_fit_reduced_chi2: chi2 / (pts.length - 2),
    mean: m.reduce((x, y) => x + y, 0) / m.length,
  };
}

describe('lc_features in generated alerts', () => {
  const { table } = generateNight({ seed: 4, nAlerts: 300, night: '2025-06-14', cutouts: 'small' });

  function lightCurve(i: number, fid: number): Pt[] {
    const cand = (table.getChild('candidate')!.get(i) as { toJSON(): Pt }).toJSON();
    const prvV = table.getChild('prv_candidates')!.get(i) as { toArray(): { toJSON(): Pt }[] } | null;
    const prv = prvV ? prvV.toArray().map((p) => p.toJSON()) : [];
    return [...prv, cand].filter((p) => p.fid === fid && p.magpsf !== null);
  }
  const feats = (i: number, band: 'g' | 'r'): Record<string, number | null> | null => {
    const v = table.getChild(`lc_features_${band}`)!.get(i) as { toJSON(): Record<string, number | null> } | null;
    return v ? v.toJSON() : null;
  };

  it('match a hand computation on long light curves in both bands', () => {
    let checked = 0;
    for (let i = 0; i < table.numRows && checked < 6; i++) {
      for (const [band, fid] of [['g', 1], ['r', 2]] as const) {
        const pts = lightCurve(i, fid);
        if (pts.length < 6) continue;
        const f = feats(i, band)!;
        const h = byHand(pts);
        for (const k of Object.keys(h)) expect(Math.abs(f[k]! - h[k]!), `${k} row ${i} ${band}`).toBeLessThan(1e-9 * Math.max(1, Math.abs(h[k]!)));
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });

  it('are null without detections in the band, and fits are null below 3 points', () => {
    let nullBand = 0;
    let short = 0;
    for (let i = 0; i < table.numRows; i++) {
      for (const [band, fid] of [['g', 1], ['r', 2]] as const) {
        const n = lightCurve(i, fid).length;
        const f = feats(i, band);
        if (n === 0) {
          expect(f).toBeNull();
          nullBand++;
        } else if (n < 3) {
          expect(f!.median).not.toBeNull();
          expect(f!.linear_fit_slope).toBeNull();
          short++;
        } else expect(f!.linear_fit_slope).not.toBeNull();
      }
    }
    expect(nullBand).toBeGreaterThan(0);
    expect(short).toBeGreaterThan(0);
  });

  it('computeLcFeatures: textbook values on a tiny series', () => {
    const f = computeLcFeatures([0, 1, 2, 3], [18, 18.5, 19, 19.5], [0.1, 0.1, 0.1, 0.1])!;
    expect(f.median).toBeCloseTo(18.75, 12);
    expect(f.amplitude).toBeCloseTo(0.75, 12);
    expect(f.linear_fit_slope).toBeCloseTo(0.5, 12);
    expect(f.linear_trend).toBeCloseTo(0.5, 12);
    expect(f.linear_fit_reduced_chi2).toBeCloseTo(0, 12);
    expect(f.standard_deviation).toBeCloseTo(Math.sqrt(5 / 12), 12);
    expect(f.maximum_slope).toBeCloseTo(0.5, 12);
    expect(f.skew).toBeCloseTo(0, 12);
    expect(computeLcFeatures([], [], [])).toBeNull();
  });
});
