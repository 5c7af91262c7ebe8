/** Class balance of a label vector or of predicted probabilities, with a warning for under-represented classes. */

export interface ClassBalance {
  counts: number[];
  fractions: number[];
  /** Human-readable warnings (empty when every class reaches the threshold). */
  warnings: string[];
}

/**
 * Counts and fractions of class indices 0..k-1. A class is flagged when its fraction is below minFraction
 * (default 0.1) or its count below minCount (default 3, the fewest members that allow 3-fold CV).
 */
export function classBalance(
  y: ArrayLike<number>,
  k = 2,
  opts: { minFraction?: number; minCount?: number; classNames?: string[] } = {},
): ClassBalance {
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < y.length; i++) if (y[i] >= 0 && y[i] < k) counts[y[i]]++;
  return summarise(counts, y.length, opts, 'labelled');
}

/** Expected class fractions of a pool: the mean predicted probability per class (n × k matrix). */
export function predictedBalance(
  proba: Float64Array,
  n: number,
  k = 2,
  opts: { minFraction?: number; classNames?: string[] } = {},
): ClassBalance {
  const sums = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) sums[c] += proba[i * k + c];
  return summarise(sums, n, { ...opts, minCount: 0 }, 'predicted');
}

function summarise(
  counts: number[],
  total: number,
  opts: { minFraction?: number; minCount?: number; classNames?: string[] },
  what: string,
): ClassBalance {
  const minFraction = opts.minFraction ?? 0.1;
  const minCount = opts.minCount ?? 3;
  const fractions = counts.map((c) => (total > 0 ? c / total : 0));
  const warnings: string[] = [];
  counts.forEach((c, k) => {
    const name = opts.classNames?.[k] ?? `class ${k}`;
    if (total > 0 && fractions[k] < minFraction) {
      warnings.push(`${name}: ${what} fraction ${(fractions[k] * 100).toFixed(1)}% is under ${(minFraction * 100).toFixed(0)}%`);
    } else if (minCount > 0 && c < minCount) {
      warnings.push(`${name}: only ${c} ${what} (fewer than ${minCount})`);
    }
  });
  return { counts, fractions, warnings };
}
