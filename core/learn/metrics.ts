/**
 * Binary classification metrics, computed from labels (0/1) and the probability of class 1.
 * Conventions (as scikit-learn with zero_division=0): a ratio with an empty denominator is 0; ROC AUC is NaN when only
 * one class is present. RESSPECT's photometric metrics (Ishida et al. 2019; Kennamer et al. 2020):
 * efficiency = TP / (TP + FN), purity = TP / (TP + FP), figure of merit = efficiency × TP / (TP + 3 FP).
 */

export interface ConfusionMatrix {
  /** Rows = true class, columns = predicted class: [[TN, FP], [FN, TP]]. */
  matrix: [[number, number], [number, number]];
  tn: number;
  fp: number;
  fn: number;
  tp: number;
}

export interface BinaryMetrics {
  n: number;
  accuracy: number;
  balancedAccuracy: number;
  precision: number;
  recall: number;
  f1: number;
  rocAuc: number;
  logLoss: number;
  efficiency: number;
  purity: number;
  figureOfMerit: number;
  confusion: ConfusionMatrix;
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

export function confusionMatrix(y: ArrayLike<number>, pred: ArrayLike<number>): ConfusionMatrix {
  let tn = 0;
  let fp = 0;
  let fn = 0;
  let tp = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === 1) {
      if (pred[i] === 1) tp++;
      else fn++;
    } else if (pred[i] === 1) fp++;
    else tn++;
  }
  return { matrix: [[tn, fp], [fn, tp]], tn, fp, fn, tp };
}

/** Class-1 decisions at a probability threshold (p >= threshold -> 1). */
export function threshold(p1: ArrayLike<number>, t = 0.5): Uint8Array {
  const out = new Uint8Array(p1.length);
  for (let i = 0; i < p1.length; i++) out[i] = p1[i] >= t ? 1 : 0;
  return out;
}

export function accuracy(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === pred[i]) ok++;
  return ratio(ok, y.length);
}

/** Mean of the per-class recalls (over the classes present in y). */
export function balancedAccuracy(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  const c = confusionMatrix(y, pred);
  const parts: number[] = [];
  if (c.tp + c.fn > 0) parts.push(c.tp / (c.tp + c.fn));
  if (c.tn + c.fp > 0) parts.push(c.tn / (c.tn + c.fp));
  return parts.length ? parts.reduce((a, b) => a + b, 0) / parts.length : 0;
}

export function precision(c: ConfusionMatrix): number {
  return ratio(c.tp, c.tp + c.fp);
}
export function recall(c: ConfusionMatrix): number {
  return ratio(c.tp, c.tp + c.fn);
}
export function f1(c: ConfusionMatrix): number {
  return ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn);
}
export function efficiency(c: ConfusionMatrix): number {
  return ratio(c.tp, c.tp + c.fn);
}
export function purity(c: ConfusionMatrix): number {
  return ratio(c.tp, c.tp + c.fp);
}
/** RESSPECT figure of merit: efficiency × TP / (TP + 3 FP) (false positives penalised three times). */
export function figureOfMerit(c: ConfusionMatrix): number {
  return efficiency(c) * ratio(c.tp, c.tp + 3 * c.fp);
}

/**
 * ROC AUC = probability that a random positive scores above a random negative, ties counting 1/2
 * (Mann-Whitney U with mid-ranks). NaN when a class is absent.
 */
export function rocAuc(y: ArrayLike<number>, score: ArrayLike<number>): number {
  const n = y.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => score[a] - score[b]);
  let nPos = 0;
  let rankSumPos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j < n && score[order[j]] === score[order[i]]) j++;
    const midRank = (i + 1 + j) / 2; // ranks i+1 .. j share their mean
    for (let k = i; k < j; k++) {
      if (y[order[k]] === 1) {
        nPos++;
        rankSumPos += midRank;
      }
    }
    i = j;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Mean negative log-likelihood, probabilities clipped to [eps, 1 - eps]. */
export function logLoss(y: ArrayLike<number>, p1: ArrayLike<number>, eps = 1e-15): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const p = Math.min(1 - eps, Math.max(eps, p1[i]));
    s -= y[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return y.length ? s / y.length : NaN;
}

/** All metrics at once, from labels and P(class 1). */
export function binaryMetrics(y: ArrayLike<number>, p1: ArrayLike<number>, t = 0.5): BinaryMetrics {
  const pred = threshold(p1, t);
  const c = confusionMatrix(y, pred);
  return {
    n: y.length,
    accuracy: accuracy(y, pred),
    balancedAccuracy: balancedAccuracy(y, pred),
    precision: precision(c),
    recall: recall(c),
    f1: f1(c),
    rocAuc: rocAuc(y, p1),
    logLoss: logLoss(y, p1),
    efficiency: efficiency(c),
    purity: purity(c),
    figureOfMerit: figureOfMerit(c),
    confusion: c,
  };
}

/** The scalar metrics as a flat record (e.g. for run tracking); the confusion matrix as tn/fp/fn/tp. */
export function flattenMetrics(m: BinaryMetrics, prefix = ''): Record<string, number> {
  return {
    [`${prefix}accuracy`]: m.accuracy,
    [`${prefix}balanced_accuracy`]: m.balancedAccuracy,
    [`${prefix}precision`]: m.precision,
    [`${prefix}recall`]: m.recall,
    [`${prefix}f1`]: m.f1,
    [`${prefix}roc_auc`]: m.rocAuc,
    [`${prefix}log_loss`]: m.logLoss,
    [`${prefix}efficiency`]: m.efficiency,
    [`${prefix}purity`]: m.purity,
    [`${prefix}figure_of_merit`]: m.figureOfMerit,
    [`${prefix}tn`]: m.confusion.tn,
    [`${prefix}fp`]: m.confusion.fp,
    [`${prefix}fn`]: m.confusion.fn,
    [`${prefix}tp`]: m.confusion.tp,
  };
}
