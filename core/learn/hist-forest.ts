/**
 * Random forest on binned features (the same bins and flat trees as hist-gbm.ts), after scikit-learn's
 * RandomForestClassifier: one bootstrap sample per tree (as row multiplicities), a fresh random subset of maxFeatures
 * candidate features at EVERY split (sqrt(d) by default; constant features do not count, as in scikit-learn), Gini
 * impurity, class weights, trees grown until pure or minSamplesLeaf / minSamplesSplit / maxDepth stop them, and NaN
 * sent to the side that gives the better split. The probability is the mean over trees of the leaf's (weighted) class
 * fractions, as scikit-learn computes it. Thresholds fall on bin edges (at most 255 per feature), an approximation of
 * scikit-learn's exact midpoints that costs nothing in accuracy here and makes a split O(node rows) instead of a sort.
 */
import { z } from 'zod';
import type { Classifier, EngineJSON } from './classifier.js';
import { fitBins, transformBins, MISSING_BIN, type BinMapper } from './binning.js';
import { checkPredictInput, rowWeights, TreeEnsembleBase, type FitOptions } from './engine-common.js';
import { Rng } from './random.js';
import { leafIndex, TreeBuilder, treeFromJSON, treeToJSON, TreeJSONSchema, type Tree } from './tree.js';

export const HrfParamsSchema = z.object({
  nEstimators: z.number().int().positive().default(100),
  /**
   * Candidate features per split: 'sqrt' (default, as scikit-learn), 'log2', 'all', an integer count >= 1, or a
   * fraction in (0, 1).
   */
  maxFeatures: z.union([z.enum(['sqrt', 'log2', 'all']), z.number().positive()]).default('sqrt'),
  maxDepth: z.number().int().positive().nullable().default(null),
  minSamplesLeaf: z.number().int().positive().default(1),
  minSamplesSplit: z.number().int().min(2).default(2),
  bootstrap: z.boolean().default(true),
  classWeight: z.union([z.literal('balanced'), z.null(), z.array(z.number().nonnegative())]).default(null),
  maxBins: z.number().int().min(2).max(255).default(255),
});
export type HrfParams = z.output<typeof HrfParamsSchema>;

const HrfModelSchema = z.object({ trees: z.array(TreeJSONSchema) });

export function resolveMaxFeatures(mf: HrfParams['maxFeatures'], d: number): number {
  if (mf === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(d)));
  if (mf === 'log2') return Math.max(1, Math.floor(Math.log2(d)));
  if (mf === 'all') return d;
  if (mf >= 1) return Math.min(d, Math.floor(mf));
  return Math.max(1, Math.floor(mf * d));
}

export class HistRandomForest extends TreeEnsembleBase<HrfParams> implements Classifier {
  readonly engine = 'hrf' as const;

  fit(X: Float64Array, n: number, d: number, y: Uint8Array | Int32Array, opts: FitOptions = {}): void {
    const K = this.beginFit(X, n, d, y, opts);
    this.nClasses = K;
    const p = this.params;
    const w = rowWeights(y, K, p.classWeight, opts.sampleWeight);
    const mapper = fitBins(X, n, d, { maxBins: p.maxBins, seed: this.seed });
    const bins = transformBins(X, n, d, mapper);
    const rng = new Rng(this.seed);
    const builder = new ForestTreeBuilder(bins, n, d, K, y, mapper, p, resolveMaxFeatures(p.maxFeatures, d));
    this.trees = [];
    for (let t = 0; t < p.nEstimators; t++) this.trees.push(builder.build(w, rng.nextSeed()));
    this.fitted = true;
  }

  predictProba(X: Float64Array, n: number): Float64Array {
    checkPredictInput(X, n, this.nFeatures, this.fitted);
    const d = this.nFeatures;
    const K = this.nClasses;
    const out = new Float64Array(n * K);
    for (const t of this.trees) {
      const value = t.value;
      for (let i = 0; i < n; i++) {
        const vo = leafIndex(t, X, i, d) * K;
        const oo = i * K;
        for (let k = 0; k < K; k++) out[oo + k] += value[vo + k];
      }
    }
    const inv = 1 / this.trees.length;
    for (let j = 0; j < out.length; j++) out[j] *= inv;
    return out;
  }

  /** Per-tree probabilities of class 1 (n × nTrees, row-major): e.g. for a committee of trees. */
  predictTreeProba(X: Float64Array, n: number): Float64Array {
    checkPredictInput(X, n, this.nFeatures, this.fitted);
    const d = this.nFeatures;
    const K = this.nClasses;
    const T = this.trees.length;
    const out = new Float64Array(n * T);
    this.trees.forEach((t, ti) => {
      for (let i = 0; i < n; i++) out[i * T + ti] = t.value[leafIndex(t, X, i, d) * K + 1];
    });
    return out;
  }

  protected modelJSON(): z.input<typeof HrfModelSchema> {
    return { trees: this.trees.map(treeToJSON) };
  }

  static fromJSON(json: EngineJSON): HistRandomForest {
    const m = new HistRandomForest(HrfParamsSchema.parse(json.params), json.seed, json.featureNames);
    return m.restore(json, (model) => {
      m.trees = HrfModelSchema.parse(model).trees.map(treeFromJSON);
    });
  }
}

/** Builds forest trees on fixed bins; owns scratch buffers reused across trees and nodes. */
class ForestTreeBuilder {
  private readonly idx: Uint32Array;
  private readonly scratch: Uint32Array;
  private readonly wt: Float64Array;
  private readonly mult: Uint32Array;
  private readonly perm: Int32Array;
  // Per-bin accumulators for one feature of one node, reset through the `touched` list.
  private readonly binW: Float64Array;
  private readonly binC: Uint32Array;
  private readonly touched = new Uint8Array(256);
  private readonly cumL: Float64Array;
  private readonly tot: Float64Array;
  private readonly missW: Float64Array;
  private readonly maxDepth: number;

  constructor(
    private readonly bins: Uint8Array,
    private readonly n: number,
    private readonly d: number,
    private readonly K: number,
    private readonly y: Uint8Array | Int32Array,
    private readonly mapper: BinMapper,
    private readonly p: HrfParams,
    private readonly mtry: number,
  ) {
    this.idx = new Uint32Array(n);
    this.scratch = new Uint32Array(n);
    this.wt = new Float64Array(n);
    this.mult = new Uint32Array(n);
    this.perm = new Int32Array(d);
    this.binW = new Float64Array(256 * K);
    this.binC = new Uint32Array(256);
    this.cumL = new Float64Array(K);
    this.tot = new Float64Array(K);
    this.missW = new Float64Array(K);
    this.maxDepth = p.maxDepth ?? Number.MAX_SAFE_INTEGER;
  }

  build(w: Float64Array, seed: number): Tree {
    const { n, d, K, idx, wt, mult, perm } = this;
    const rng = new Rng(seed);
    mult.fill(0);
    if (this.p.bootstrap) for (let j = 0; j < n; j++) mult[rng.int(n)]++;
    else mult.fill(1);
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (mult[i] > 0 && w[i] > 0) {
        idx[m++] = i;
        wt[i] = mult[i] * w[i];
      }
    }
    for (let f = 0; f < d; f++) perm[f] = f;
    const tb = new TreeBuilder(K, 256);
    const root = tb.addLeaf();
    // Explicit stack of (tree node, start, end, depth).
    const stack: number[] = [root, 0, m, 0];
    const msl = this.p.minSamplesLeaf;
    const mss = Math.max(this.p.minSamplesSplit, 2 * msl);
    const tot = this.tot;
    while (stack.length > 0) {
      const depth = stack.pop()!;
      const end = stack.pop()!;
      const start = stack.pop()!;
      const tnode = stack.pop()!;
      tot.fill(0);
      for (let k = start; k < end; k++) {
        const i = idx[k];
        tot[this.y[i]] += wt[i];
      }
      let W = 0;
      let present = 0;
      for (let c = 0; c < K; c++) {
        W += tot[c];
        if (tot[c] > 0) present++;
      }
      for (let c = 0; c < K; c++) tb.value[tnode * K + c] = W > 0 ? tot[c] / W : 1 / K;
      if (present <= 1 || end - start < mss || depth >= this.maxDepth) continue;
      const split = this.bestSplit(start, end, W, rng);
      if (!split) continue;
      const mid = this.partition(start, end, split.feature, split.binMax, split.missingLeft);
      const lt = tb.addLeaf();
      const rt = tb.addLeaf();
      tb.setSplit(tnode, split.feature, split.threshold, split.missingLeft, lt, rt);
      stack.push(rt, mid, end, depth + 1, lt, start, mid, depth + 1);
    }
    return tb.finish();
  }

  /** Stable partition of idx[start, end): rows with bin <= binMax (or missing, when missingLeft) first. */
  private partition(start: number, end: number, f: number, binMax: number, missingLeft: boolean): number {
    const { idx, scratch, bins, n } = this;
    const off = f * n;
    let li = start;
    let ri = 0;
    for (let k = start; k < end; k++) {
      const i = idx[k];
      const b = bins[off + i];
      if (b === MISSING_BIN ? missingLeft : b <= binMax) idx[li++] = i;
      else scratch[ri++] = i;
    }
    idx.set(scratch.subarray(0, ri), li);
    return li;
  }

  private bestSplit(
    start: number,
    end: number,
    W: number,
    rng: Rng,
  ): { feature: number; binMax: number; threshold: number; missingLeft: boolean } | null {
    const { d, K, perm, idx, bins, n, wt, y, binW, binC, touched, cumL, tot, missW } = this;
    const msl = this.p.minSamplesLeaf;
    const count = end - start;
    let bestProxy = -Infinity;
    let bestF = -1;
    let bestBinMax = 0;
    let bestThr = 0;
    let bestML = false;
    let visited = 0;
    let drawn = 0;
    while (visited < this.mtry && drawn < d) {
      // Draw features without replacement (Fisher-Yates step), as scikit-learn does per node.
      const j = drawn + rng.int(d - drawn);
      const f = perm[j];
      perm[j] = perm[drawn];
      perm[drawn] = f;
      drawn++;
      // Class weights and row counts per bin present in the node.
      const off = f * n;
      let u = 0;
      for (let k = start; k < end; k++) {
        const i = idx[k];
        const b = bins[off + i];
        if (binC[b] === 0) touched[u++] = b;
        binC[b]++;
        binW[b * K + y[i]] += wt[i];
      }
      if (u <= 1) {
        // Constant in this node: does not count as visited (scikit-learn keeps drawing).
        binC[touched[0]] = 0;
        for (let c = 0; c < K; c++) binW[touched[0] * K + c] = 0;
        continue;
      }
      visited++;
      const tb = touched.subarray(0, u);
      tb.sort();
      const hasMissing = tb[u - 1] === MISSING_BIN;
      const P = hasMissing ? u - 1 : u; // non-missing bins present
      let mC = 0;
      missW.fill(0);
      if (hasMissing) {
        mC = binC[MISSING_BIN];
        for (let c = 0; c < K; c++) missW[c] = binW[MISSING_BIN * K + c];
      }
      cumL.fill(0);
      let cC = 0;
      const lastJ = hasMissing ? P - 1 : P - 2;
      for (let jj = 0; jj <= lastJ; jj++) {
        const b = tb[jj];
        cC += binC[b];
        for (let c = 0; c < K; c++) cumL[c] += binW[b * K + c];
        for (let dir = 0; dir < (hasMissing ? 2 : 1); dir++) {
          if (dir === 1 && jj === P - 1) break; // all rows left: not a split
          const lC = dir ? cC + mC : cC;
          const rC = count - lC;
          if (lC < msl || rC < msl) continue;
          let WL = 0;
          let sL = 0;
          let sR = 0;
          for (let c = 0; c < K; c++) WL += dir ? cumL[c] + missW[c] : cumL[c];
          const WR = W - WL;
          if (WL <= 0 || WR <= 0) continue;
          for (let c = 0; c < K; c++) {
            const l = dir ? cumL[c] + missW[c] : cumL[c];
            const r = tot[c] - l;
            sL += l * l;
            sR += r * r;
          }
          // Gini: maximising sum_k L_k^2 / W_L + sum_k R_k^2 / W_R minimises the weighted child impurity.
          const proxy = sL / WL + sR / WR;
          if (proxy > bestProxy + 1e-12 * W) {
            bestProxy = proxy;
            bestF = f;
            bestML = hasMissing ? dir === 1 : lC >= rC;
            if (jj === P - 1) {
              bestThr = Infinity; // all values left, missing right
              bestBinMax = MISSING_BIN - 1;
            } else {
              // Any edge between this bin and the next present one separates them: take the middle one.
              bestBinMax = (b + tb[jj + 1] - 1) >> 1;
              bestThr = this.mapper.edges[f][bestBinMax];
            }
          }
        }
      }
      for (let t = 0; t < u; t++) {
        const b = tb[t];
        binC[b] = 0;
        for (let c = 0; c < K; c++) binW[b * K + c] = 0;
      }
    }
    if (bestF < 0) return null;
    return { feature: bestF, binMax: bestBinMax, threshold: bestThr, missingLeft: bestML };
  }
}
