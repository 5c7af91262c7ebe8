/**
 * How a run's cross-validated metrics are worded wherever they are printed (round, train, runs): the night-grouped
 * estimate first, as the headline (it forecasts the next night), the object-grouped one beside it, labelled as
 * optimistic (its folds share nights, and the model can learn which night an alert came from).
 */
import { MIN_GROUPS, type GroupUnit } from '../learn/group-folds.js';

/** A metric for a terminal line: d decimals, '–' when missing. */
export const fmtMetric = (v: number | null | undefined, d = 3): string =>
  v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(d);
const fmt = fmtMetric;

/** The quality metrics of one prefix on one line. */
export function metricLine(m: Record<string, number>, prefix: string): string {
  return (
    `accuracy ${fmt(m[`${prefix}accuracy`])}, balanced ${fmt(m[`${prefix}balanced_accuracy`])}, ` +
    `precision ${fmt(m[`${prefix}precision`])}, recall ${fmt(m[`${prefix}recall`])}, F1 ${fmt(m[`${prefix}f1`])}, ` +
    `ROC AUC ${fmt(m[`${prefix}roc_auc`])}, log loss ${fmt(m[`${prefix}log_loss`])}`
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The two cross-validation lines of a run's metrics (none when no model was cross-validated). `unit` says what the
 * night groups were (night, or source file when the user chose it).
 */
export function cvHeadline(m: Record<string, number>, unit: GroupUnit = 'night'): string[] {
  if (m.cv_accuracy === undefined && m.cv_night_accuracy === undefined) return [];
  const lines: string[] = [];
  const groups = m.cv_night_groups ?? 0;
  const by = unit === 'file' ? 'source file' : 'night';
  if (m.cv_night_accuracy !== undefined) {
    lines.push(
      `cross-validated by ${by} (forecast of unseen ${by}s: ${m.cv_night_k} folds over ${plural(groups, by)}): ${metricLine(m, 'cv_night_')}`,
    );
  } else {
    lines.push(`cv_night${unit === 'file' ? ' (by source file)' : ''}: n/a — labels from ${plural(groups, unit)}; need ${MIN_GROUPS}`);
  }
  if (m.cv_accuracy !== undefined) {
    lines.push(`cross-validated by object (${m.cv_k}-fold; optimistic: same ${by}s): ${metricLine(m, 'cv_')}`);
  }
  return lines;
}
