/**
 * From per-seed curves to what the report shows: mean ± std learning curves, and per cell the labels needed to reach
 * a target, the metric with at most B labels, and the area under the learning curve.
 * "With at most B labels" reads the curve as a step function: the model trained on the largest evaluated label count
 * <= B (what a user stopping at B labels would have).
 */
import { binaryMetrics, type BinaryMetrics } from '../../learn/metrics.js';
import type { CurvePoint, CellResult } from './cell.js';

export const CURVE_METRICS = ['accuracy', 'balancedAccuracy', 'f1', 'rocAuc', 'trainAccuracy'] as const;
export type CurveMetric = (typeof CURVE_METRICS)[number];

export const METRIC_LABELS: Record<CurveMetric, string> = {
  accuracy: 'accuracy',
  balancedAccuracy: 'balanced accuracy',
  f1: 'F1',
  rocAuc: 'ROC AUC',
  trainAccuracy: 'training-set accuracy',
};

export interface MeanPoint {
  labels: number;
  mean: number;
  std: number;
  /** Seeds with a finite value at this label count. */
  n: number;
}

/**
 * Mean and population std over seeds at each label count (NaN values, e.g. an undefined AUC, left out). When the
 * seeds hold out one night (file) each and kept their predictions, `mean` is instead the metric of the predictions
 * pooled over the seeds (leave-one-night-out: a night may hold one class, where AUC and balanced accuracy mean
 * little); `std` stays the spread between the seeds' own values.
 */
export function meanCurve(r: CellResult, metric: CurveMetric): MeanPoint[] {
  const perSeed = seedMeanCurve(r, metric);
  if (metric === 'trainAccuracy' || r.seeds.length === 0 || !r.seeds.every((s) => s.testY)) return perSeed;
  return perSeed.map((p) => ({ ...p, mean: pooledMetric(r, p.labels, metric) }));
}

const POOLED: Record<Exclude<CurveMetric, 'trainAccuracy'>, keyof BinaryMetrics> = {
  accuracy: 'accuracy',
  balancedAccuracy: 'balancedAccuracy',
  f1: 'f1',
  rocAuc: 'rocAuc',
};

/** The metric of every seed's test predictions at this label count, concatenated. */
export function pooledMetric(r: CellResult, labels: number, metric: Exclude<CurveMetric, 'trainAccuracy'>): number {
  const y: number[] = [];
  const p1: number[] = [];
  for (const s of r.seeds) {
    const p = s.points.find((q) => q.labels === labels);
    if (!p?.p1 || !s.testY) continue;
    y.push(...s.testY);
    p1.push(...p.p1);
  }
  return y.length ? (binaryMetrics(y, p1)[POOLED[metric]] as number) : NaN;
}

function seedMeanCurve(r: CellResult, metric: CurveMetric): MeanPoint[] {
  const by = new Map<number, number[]>();
  for (const s of r.seeds) {
    for (const p of s.points) {
      const v = p[metric];
      if (!by.has(p.labels)) by.set(p.labels, []);
      if (Number.isFinite(v)) by.get(p.labels)!.push(v);
    }
  }
  return [...by]
    .sort((a, b) => a[0] - b[0])
    .map(([labels, vals]) => {
      const mean = vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : NaN;
      const std = vals.length ? Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length) : NaN;
      return { labels, mean, std, n: vals.length };
    });
}

/** The value of the step curve with at most `labels` labels (NaN before the first point). */
export function atMost(curve: readonly MeanPoint[], labels: number): number {
  let v = NaN;
  for (const p of curve) {
    if (p.labels > labels) break;
    v = p.mean;
  }
  return v;
}

/** First evaluated label count whose mean reaches `target` (null when never). */
export function labelsToReach(curve: readonly MeanPoint[], target: number): number | null {
  for (const p of curve) if (p.mean >= target) return p.labels;
  return null;
}

/**
 * Area under the step learning curve over label counts [from, to], divided by its width (so 1 = perfect from the
 * start): the mean of atMost(x) over the integers x in [from, to]. NaN when the curve starts after `from`.
 */
export function aulc(curve: readonly MeanPoint[], from: number, to: number): number {
  if (curve.length === 0 || curve[0].labels > from || to < from) return NaN;
  let s = 0;
  for (let x = from; x <= to; x++) s += atMost(curve, x);
  return s / (to - from + 1);
}

/** Fraction of seeds whose own curve reaches `target` at some point within the budget. */
export function seedsReaching(r: CellResult, metric: CurveMetric, target: number): number {
  if (r.seeds.length === 0) return NaN;
  const ok = r.seeds.filter((s) => s.points.some((p) => (p[metric as keyof CurvePoint] as number) >= target)).length;
  return ok / r.seeds.length;
}

export interface PairedPoint {
  labels: number;
  /** Mean over seeds of (this cell − the reference cell) at this label count. */
  meanDiff: number;
  /** Standard error of that mean (std / sqrt(n)). */
  se: number;
  n: number;
}

/**
 * Paired difference against a reference cell run with the same seeds (e.g. random sampling): each seed uses the same
 * held-out split and start batch in both cells, so the per-seed difference removes the split-to-split variance.
 */
export function pairedDiff(r: CellResult, ref: CellResult, metric: CurveMetric): PairedPoint[] {
  const refBySeed = new Map(ref.seeds.map((s) => [s.seed, new Map(s.points.map((p) => [p.labels, p[metric as keyof CurvePoint] as number]))]));
  const by = new Map<number, number[]>();
  for (const s of r.seeds) {
    const other = refBySeed.get(s.seed);
    if (!other) continue;
    for (const p of s.points) {
      const a = p[metric as keyof CurvePoint] as number;
      const b = other.get(p.labels);
      if (b === undefined || !Number.isFinite(a) || !Number.isFinite(b)) continue;
      if (!by.has(p.labels)) by.set(p.labels, []);
      by.get(p.labels)!.push(a - b);
    }
  }
  return [...by]
    .sort((x, y) => x[0] - y[0])
    .map(([labels, d]) => {
      const mean = d.reduce((a, b) => a + b, 0) / d.length;
      const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, d.length - 1));
      return { labels, meanDiff: mean, se: sd / Math.sqrt(d.length), n: d.length };
    });
}
