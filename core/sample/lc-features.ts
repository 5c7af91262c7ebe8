/**
 * The 26 Fink/SNAD light-curve features of one band, computed from that band's detections (time in days, magnitude,
 * magnitude error), following the definitions of the `light-curve` package that Fink uses. Only the generator
 * writes them (the app reads them from the files); tests recompute a few by hand against these.
 *
 * Point statistics (mean, median, amplitude, ...) need one point; the rest are null until they have the points
 * their definition needs (2 for spreads and slopes between points, 3 for fits, 4 for kurtosis and Anderson-Darling).
 */
import type { LcFeatureName } from './schema.js';

export type LcFeatureValues = Record<LcFeatureName, number | null>;

function quantile(sorted: readonly number[], q: number): number {
  // Linear interpolation between order statistics (numpy's default).
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function medianOf(values: readonly number[]): number {
  return quantile([...values].sort((a, b) => a - b), 0.5);
}

function normalCdf(x: number): number {
  // Abramowitz & Stegun 7.1.26 erf approximation (|error| < 1.5e-7), plenty for a feature.
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Features of one band; null when the band has no detection. Points need not be sorted. */
export function computeLcFeatures(t: readonly number[], m: readonly number[], e: readonly number[]): LcFeatureValues | null {
  const n = m.length;
  if (n === 0) return null;
  const order = [...t.keys()].sort((i, j) => t[i]! - t[j]!);
  const ts = order.map((i) => t[i]!);
  const ms = order.map((i) => m[i]!);
  const es = order.map((i) => e[i]!);
  const sorted = [...ms].sort((a, b) => a - b);
  const mean = ms.reduce((s, x) => s + x, 0) / n;
  const w = es.map((x) => 1 / (x * x));
  const sumW = w.reduce((s, x) => s + x, 0);
  const wmean = ms.reduce((s, x, i) => s + x * w[i]!, 0) / sumW;
  const median = quantile(sorted, 0.5);
  const min = sorted[0]!;
  const max = sorted[n - 1]!;
  const amplitude = (max - min) / 2;
  const std = n >= 2 ? Math.sqrt(ms.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : NaN;

  const f: LcFeatureValues = {
    mean,
    weighted_mean: wmean,
    standard_deviation: null,
    median,
    amplitude,
    beyond_1_std: null,
    cusum: null,
    inter_percentile_range_10: quantile(sorted, 0.9) - quantile(sorted, 0.1),
    kurtosis: null,
    linear_trend: null,
    linear_trend_sigma: null,
    linear_trend_noise: null,
    linear_fit_slope: null,
    linear_fit_slope_sigma: null,
    linear_fit_reduced_chi2: null,
    magnitude_percentage_ratio_40_5: null,
    magnitude_percentage_ratio_20_10: null,
    maximum_slope: null,
    median_absolute_deviation: medianOf(ms.map((x) => Math.abs(x - median))),
    median_buffer_range_percentage_10: ms.filter((x) => Math.abs(x - median) < 0.1 * amplitude).length / n,
    percent_amplitude: Math.max(max - median, median - min),
    mean_variance: null,
    anderson_darling_normal: null,
    chi2: null,
    skew: null,
    stetson_K: null,
  };
  if (n < 2) return f;

  f.standard_deviation = std;
  f.mean_variance = finite(std / mean);
  f.beyond_1_std = ms.filter((x) => Math.abs(x - mean) > std).length / n;
  f.chi2 = ms.reduce((s, x, i) => s + (x - wmean) ** 2 * w[i]!, 0) / (n - 1);
  let slopeMax = 0;
  for (let i = 1; i < n; i++) {
    const dt = ts[i]! - ts[i - 1]!;
    if (dt > 0) slopeMax = Math.max(slopeMax, Math.abs((ms[i]! - ms[i - 1]!) / dt));
  }
  f.maximum_slope = slopeMax;
  if (std > 0) {
    let c = 0;
    let cmin = 0;
    let cmax = 0;
    for (const x of ms) {
      c += (x - mean) / (n * std);
      cmin = Math.min(cmin, c);
      cmax = Math.max(cmax, c);
    }
    f.cusum = cmax - cmin;
    const delta = ms.map((x, i) => (Math.sqrt(n / (n - 1)) * (x - wmean)) / es[i]!);
    const sumAbs = delta.reduce((s, d) => s + Math.abs(d), 0);
    const sumSq = delta.reduce((s, d) => s + d * d, 0);
    f.stetson_K = finite(sumAbs / n / Math.sqrt(sumSq / n));
  }
  const r4010 = quantile(sorted, 0.95) - quantile(sorted, 0.05);
  const r2010 = quantile(sorted, 0.9) - quantile(sorted, 0.1);
  if (r4010 > 0) f.magnitude_percentage_ratio_40_5 = (quantile(sorted, 0.6) - quantile(sorted, 0.4)) / r4010;
  if (r2010 > 0) f.magnitude_percentage_ratio_20_10 = (quantile(sorted, 0.8) - quantile(sorted, 0.2)) / r2010;
  if (n < 3) return f;

  if (std > 0) {
    const m3 = ms.reduce((s, x) => s + ((x - mean) / std) ** 3, 0);
    f.skew = (n / ((n - 1) * (n - 2))) * m3;
  }
  // Unweighted least squares (linear_trend) and inverse-variance weighted least squares (linear_fit).
  const tMean = ts.reduce((s, x) => s + x, 0) / n;
  const sxx = ts.reduce((s, x) => s + (x - tMean) ** 2, 0);
  if (sxx > 0) {
    const slope = ts.reduce((s, x, i) => s + (x - tMean) * (ms[i]! - mean), 0) / sxx;
    const res = ms.reduce((s, x, i) => s + (x - mean - slope * (ts[i]! - tMean)) ** 2, 0);
    f.linear_trend = slope;
    f.linear_trend_noise = Math.sqrt(res / (n - 2));
    f.linear_trend_sigma = Math.sqrt(res / (n - 2) / sxx);
  }
  let S = 0, Sx = 0, Sy = 0, Sxx = 0, Sxy = 0;
  for (let i = 0; i < n; i++) {
    const x = ts[i]! - tMean;
    S += w[i]!;
    Sx += w[i]! * x;
    Sy += w[i]! * ms[i]!;
    Sxx += w[i]! * x * x;
    Sxy += w[i]! * x * ms[i]!;
  }
  const det = S * Sxx - Sx * Sx;
  if (det > 0) {
    const b = (S * Sxy - Sx * Sy) / det;
    const a = (Sy - b * Sx) / S;
    const chi = ms.reduce((s, y, i) => s + w[i]! * (y - a - b * (ts[i]! - tMean)) ** 2, 0);
    f.linear_fit_slope = b;
    f.linear_fit_slope_sigma = Math.sqrt(S / det);
    f.linear_fit_reduced_chi2 = chi / (n - 2);
  }
  if (n < 4 || !(std > 0)) return f;

  const m4 = ms.reduce((s, x) => s + ((x - mean) / std) ** 4, 0);
  f.kurtosis = ((n * (n + 1)) / ((n - 1) * (n - 2) * (n - 3))) * m4 - (3 * (n - 1) ** 2) / ((n - 2) * (n - 3));
  const z = sorted.map((x) => normalCdf((x - mean) / std));
  let a2 = 0;
  for (let i = 0; i < n; i++) {
    const lo = Math.max(z[i]!, 1e-300);
    const hi = Math.max(1 - z[n - 1 - i]!, 1e-300);
    a2 += (2 * i + 1) * (Math.log(lo) + Math.log(hi));
  }
  f.anderson_darling_normal = (-n - a2 / n) * (1 + 4 / n - 25 / (n * n));
  return f;
}
