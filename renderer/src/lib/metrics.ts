/**
 * Sorting run metrics into "by night" (cross-validated with whole nights held out: the headline), "by object"
 * (cross-validated within the same nights: optimistic), "held-out" and "training set" series for the Model screen.
 */
import type { RunSummary } from '@core/api/types.js';

export type MetricKind = 'night' | 'cv' | 'holdout' | 'train' | 'other';

const NIGHT_TOKENS = /(^|[_.\-/])cv_night(?=$|[_.\-/])/i;
// A fixed held-out set the user marked is its own series, checked before the cross-validated tokens.
const HOLDOUT_TOKENS = /(^|[_.\-/])(holdout|heldout|held_out|test)(?=$|[_.\-/])/i;
const CV_TOKENS = /(^|[_.\-/])(cv|val|valid|validation|oof)(?=$|[_.\-/])/i;
const TRAIN_TOKENS = /(^|[_.\-/])(train|training|trainset|train_set)(?=$|[_.\-/])/i;

export function splitMetric(key: string): { base: string; kind: MetricKind } {
  const kind: MetricKind = NIGHT_TOKENS.test(key)
    ? 'night'
    : HOLDOUT_TOKENS.test(key)
    ? 'holdout'
    : CV_TOKENS.test(key)
      ? 'cv'
      : TRAIN_TOKENS.test(key)
        ? 'train'
        : 'other';
  const base = key
    .replace(NIGHT_TOKENS, '$1')
    .replace(HOLDOUT_TOKENS, '$1')
    .replace(CV_TOKENS, '$1')
    .replace(TRAIN_TOKENS, '$1')
    .replace(/^[_.\-/]+|[_.\-/]+$/g, '')
    .replace(/[_.\-/]{2,}/g, '_');
  return { base: base || key, kind };
}

/** Preferred order of the plots; anything else follows alphabetically. */
const ORDER = ['accuracy', 'balanced_accuracy', 'f1', 'auc', 'roc_auc', 'log_loss', 'logloss', 'brier'];

export interface MetricGroup {
  base: string;
  series: { kind: MetricKind; key: string; values: (number | null)[] }[];
}

/** Counts and bookkeeping, not quality metrics: not plotted (the run table and run detail show them). */
const NOT_PLOTTED = /^(n_.*|.*_k|k|.*_groups|groups|tn|fp|fn|tp)$/;

export function groupMetrics(runs: RunSummary[]): MetricGroup[] {
  const groups = new Map<string, Map<string, MetricKind>>();
  for (const r of runs) {
    for (const key of Object.keys(r.metrics)) {
      const { base, kind } = splitMetric(key);
      if (NOT_PLOTTED.test(key) || NOT_PLOTTED.test(base)) continue;
      if (!groups.has(base)) groups.set(base, new Map());
      groups.get(base)?.set(key, kind);
    }
  }
  const rank = (b: string) => {
    const i = ORDER.indexOf(b.toLowerCase());
    return i < 0 ? ORDER.length : i;
  };
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([base, keys]) => ({
      base,
      series: [...keys.entries()]
        .sort(([, a], [, b]) => kindRank(a) - kindRank(b))
        .map(([key, kind]) => ({ key, kind, values: runs.map((r) => r.metrics[key] ?? null) })),
    }));
}

const KIND_RANK: Record<MetricKind, number> = { night: 0, cv: 1, holdout: 2, other: 3, train: 4 };
const kindRank = (k: MetricKind) => KIND_RANK[k];

export const KIND_TEXT: Record<MetricKind, string> = {
  night: 'by night (forecast)',
  cv: 'by object (optimistic)',
  holdout: 'held-out',
  train: 'training set',
  other: '',
};
