/**
 * Committee for query-by-committee: members trained on bootstrap resamples of the labelled set (each resample keeps
 * at least one row of every class, so no member is a constant model), each scoring the pool.
 */
import { createClassifier, type EngineSpecInput } from './classifier.js';
import { takeRows } from './cv.js';
import { Rng } from './random.js';

export interface CommitteeOptions {
  members?: number;
  seed?: number;
}

/** Pool probabilities (poolN × k) of each member. */
export function committeeProba(
  spec: EngineSpecInput,
  X: Float64Array,
  n: number,
  d: number,
  y: Uint8Array | Int32Array,
  pool: Float64Array,
  poolN: number,
  opts: CommitteeOptions = {},
): Float64Array[] {
  const M = opts.members ?? 5;
  const rng = new Rng(opts.seed ?? 0);
  const firstOfClass = new Map<number, number>();
  for (let i = 0; i < n; i++) if (!firstOfClass.has(y[i])) firstOfClass.set(y[i], i);
  const out: Float64Array[] = [];
  for (let m = 0; m < M; m++) {
    const rows = new Int32Array(n);
    for (let j = 0; j < n; j++) rows[j] = rng.int(n);
    // Guarantee every class: overwrite the first draws with one member of each class.
    let j = 0;
    for (const c of [...firstOfClass.keys()].sort((a, b) => a - b)) {
      const members: number[] = [];
      for (let i = 0; i < n; i++) if (y[i] === c) members.push(i);
      rows[j++] = members[rng.int(members.length)];
    }
    const model = createClassifier({ ...spec, seed: ((spec.seed ?? 0) + m + 1) | 0 });
    model.fit(takeRows(X, d, rows), n, d, Uint8Array.from(rows, (i) => y[i]));
    out.push(model.predictProba(pool, poolN));
  }
  return out;
}
