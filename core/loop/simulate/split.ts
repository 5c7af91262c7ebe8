/**
 * Splits of a simulation seed: the held-out test set is drawn BY OBJECT (the alerts of one object never straddle
 * train and test: they share a light curve and position, so a split by alert would leak), stratified by the object's
 * class; the initial batch is a stratified random draw from the training pool.
 */
import { Rng } from '../../learn/random.js';

export interface HeldOutSplit {
  /** Row indices of the training pool (ascending). */
  train: number[];
  /** Row indices held out for evaluation (ascending). */
  test: number[];
}

/** Majority class of each object's alerts (ties -> class 1). */
function objectClasses(y: ArrayLike<number>, objectIds: readonly string[]): Map<string, number> {
  const votes = new Map<string, [number, number]>();
  for (let i = 0; i < objectIds.length; i++) {
    const v = votes.get(objectIds[i]) ?? [0, 0];
    v[y[i] === 1 ? 1 : 0]++;
    votes.set(objectIds[i], v);
  }
  return new Map([...votes].map(([o, [a, b]]) => [o, b >= a ? 1 : 0]));
}

/**
 * Hold out round(fraction × objects of the class) objects of each class (at least 1 when the class has 2+ objects),
 * chosen by a seeded shuffle of the objects (sorted first, so the split is a pure function of the data and seed).
 */
export function heldOutSplit(y: ArrayLike<number>, objectIds: readonly string[], fraction: number, seed: number): HeldOutSplit {
  const cls = objectClasses(y, objectIds);
  const rng = new Rng(seed * 7919 + 17);
  const testObjects = new Set<string>();
  for (const c of [0, 1]) {
    const objs = [...cls].filter(([, k]) => k === c).map(([o]) => o).sort();
    const order = rng.shuffle(Int32Array.from(objs, (_, i) => i));
    const take = objs.length >= 2 ? Math.min(objs.length - 1, Math.max(1, Math.round(fraction * objs.length))) : 0;
    for (let i = 0; i < take; i++) testObjects.add(objs[order[i]]);
  }
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < objectIds.length; i++) (testObjects.has(objectIds[i]) ? test : train).push(i);
  return { train, test };
}

/**
 * N0 rows of `pool` drawn at random, stratified: each class gets round(N0 × its share) rows, at least one when the
 * class is present and N0 >= 2 (a model needs both classes), the rest filled at random.
 */
export function stratifiedInitial(y: ArrayLike<number>, pool: readonly number[], n0: number, seed: number): number[] {
  const rng = new Rng(seed * 104729 + 3);
  const byClass: number[][] = [[], []];
  for (const i of pool) byClass[y[i] === 1 ? 1 : 0].push(i);
  for (const rows of byClass) {
    const order = rng.shuffle(Int32Array.from(rows, (_, i) => i));
    const copy = rows.slice();
    order.forEach((o, k) => (rows[k] = copy[o]));
  }
  const total = Math.min(n0, pool.length);
  const quota = byClass.map((rows) => {
    if (rows.length === 0) return 0;
    const q = Math.round((total * rows.length) / pool.length);
    return Math.min(rows.length, Math.max(total >= 2 ? 1 : 0, q));
  });
  // Fix rounding so the quotas sum to `total`.
  while (quota[0] + quota[1] > total) quota[quota[0] >= quota[1] ? 0 : 1]--;
  while (quota[0] + quota[1] < total) {
    const c = byClass[0].length - quota[0] >= byClass[1].length - quota[1] ? 0 : 1;
    quota[c]++;
  }
  return [...byClass[0].slice(0, quota[0]), ...byClass[1].slice(0, quota[1])].sort((a, b) => a - b);
}

/**
 * Leave one group out: seed s holds out every row of the (s mod G)-th of the G distinct groups (nights or source
 * files, sorted), so seeds 0..G-1 visit each group once. The groups must keep objects whole (they do when they come
 * from learn/group-folds.ts objectWholeGroups).
 */
export function leaveOneGroupOut(groups: readonly string[], seed: number): HeldOutSplit & { group: string } {
  const distinct = [...new Set(groups)].sort();
  if (distinct.length < 2) throw new RangeError(`leave-one-group-out needs 2 or more groups, not ${distinct.length}`);
  const group = distinct[seed % distinct.length];
  const train: number[] = [];
  const test: number[] = [];
  groups.forEach((g, i) => (g === group ? test : train).push(i));
  return { train, test, group };
}
