/**
 * Histogram binning, as scikit-learn's HistGradientBoosting and LightGBM do: each feature is cut at up to
 * maxBins - 1 thresholds (midpoints between distinct values when there are few, else quantiles), so a value maps to a
 * bin 0..maxBins-1 and NaN maps to the dedicated MISSING_BIN (255). Trees then split on bin indices, and a split
 * "bin <= b" is the same as "x <= edges[b]" on raw values, so prediction can use raw values directly.
 */
import { Rng } from './random.js';

/** Index of the missing-value bin (one byte per value: bins 0..254 for values, 255 for NaN). */
export const MISSING_BIN = 255;
export const MAX_BINS = 255;

export interface BinMapper {
  /** Per feature, ascending thresholds; bin b holds edges[b-1] < x <= edges[b]. */
  edges: Float64Array[];
  /** Per feature, the number of non-missing bins (edges.length + 1). */
  nBins: Int32Array;
  /** Per feature, whether the training data held NaN. */
  hasMissing: Uint8Array;
}

export interface BinningOptions {
  /** Non-missing bins per feature, 2..255 (default 255). */
  maxBins?: number;
  /** Rows used to find quantiles (default 200,000, as scikit-learn). */
  subsample?: number;
  seed?: number;
}

/** Find bin edges per feature from row-major X (n × d). */
export function fitBins(X: Float64Array, n: number, d: number, opts: BinningOptions = {}): BinMapper {
  const maxBins = Math.max(2, Math.min(MAX_BINS, opts.maxBins ?? MAX_BINS));
  const subsample = opts.subsample ?? 200_000;
  let rows: Int32Array | null = null;
  if (n > subsample) {
    // Partial Fisher-Yates: the first `subsample` entries are a uniform sample without replacement.
    const rng = new Rng(opts.seed ?? 0);
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    for (let i = 0; i < subsample; i++) {
      const j = i + rng.int(n - i);
      const t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    rows = all.subarray(0, subsample).sort();
  }
  const m = rows ? rows.length : n;
  const edges: Float64Array[] = [];
  const nBins = new Int32Array(d);
  const hasMissing = new Uint8Array(d);
  const col = new Float64Array(m);
  for (let f = 0; f < d; f++) {
    let k = 0;
    for (let r = 0; r < m; r++) {
      const i = rows ? rows[r] : r;
      const v = X[i * d + f];
      if (v !== v) hasMissing[f] = 1;
      else col[k++] = v;
    }
    if (!hasMissing[f] && rows) {
      // The subsample may have missed rare NaN: check the whole column.
      for (let i = 0; i < n; i++) if (X[i * d + f] !== X[i * d + f]) { hasMissing[f] = 1; break; }
    }
    const sorted = col.subarray(0, k).slice().sort();
    edges.push(findEdges(sorted, maxBins));
    nBins[f] = edges[f].length + 1;
  }
  return { edges, nBins, hasMissing };
}

/** Thresholds for one sorted, NaN-free column. */
function findEdges(sorted: Float64Array, maxBins: number): Float64Array {
  const k = sorted.length;
  if (k === 0) return new Float64Array(0);
  // Distinct values.
  const distinct: number[] = [sorted[0]];
  for (let i = 1; i < k; i++) if (sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  const out: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 0; i + 1 < distinct.length; i++) out.push(midpoint(distinct[i], distinct[i + 1]));
  } else {
    // Quantiles at 1/maxBins, 2/maxBins, ... with numpy's 'midpoint' interpolation (as scikit-learn).
    for (let j = 1; j < maxBins; j++) {
      const pos = (j / maxBins) * (k - 1);
      const lo = Math.floor(pos);
      const hi = Math.ceil(pos);
      const q = midpoint(sorted[lo], sorted[hi]);
      if (out.length === 0 || q > out[out.length - 1]) out.push(q);
    }
    // A threshold equal to the maximum would leave the last bin empty.
    while (out.length > 0 && out[out.length - 1] >= sorted[k - 1]) out.pop();
  }
  return Float64Array.from(out);
}

function midpoint(a: number, b: number): number {
  const m = a + (b - a) / 2;
  // Guard against the midpoint rounding up to b (adjacent doubles): keep a <= m < b.
  return m >= b ? a : m;
}

/** Bin index of one value for one feature. */
export function binValue(edges: Float64Array, v: number): number {
  if (v !== v) return MISSING_BIN;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Map row-major X (n × d) to COLUMN-major bins (bins[f * n + i]): histogram building reads one feature at a time. */
export function transformBins(X: Float64Array, n: number, d: number, mapper: BinMapper): Uint8Array {
  const out = new Uint8Array(n * d);
  for (let f = 0; f < d; f++) {
    const e = mapper.edges[f];
    const base = f * n;
    for (let i = 0; i < n; i++) out[base + i] = binValue(e, X[i * d + f]);
  }
  return out;
}
