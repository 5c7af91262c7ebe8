/**
 * Folds grouped by night (or by source file): every alert of a group is tested by a model that saw no alert of that
 * group. This forecasts the next night; folds split by object inside the same nights do not, because features such
 * as position and median magnitude tell the nights (files) apart and the model learns where an alert came from.
 */

/** Fewer distinct groups than this: no night-grouped estimate (one fold per group would test on too little). */
export const MIN_GROUPS = 3;

/** What a group split holds out whole: a night, or a source file. */
export const GROUP_UNITS = ['night', 'file'] as const;
export type GroupUnit = (typeof GROUP_UNITS)[number];

/** The shape of cv.ts's StratifiedFolds (not imported: the renderer reads MIN_GROUPS without the engines). */
export interface GroupFolds {
  k: number;
  requestedK: number;
  fold: Int32Array;
  note?: string;
  /** Distinct groups among the rows. */
  nGroups: number;
  /** The groups of each fold, sorted. */
  foldGroups: string[][];
}

/**
 * Each group to one of min(k, groups) folds, largest group first, to the fold with fewest rows so far (ties: the
 * lower fold; group ties: name order), as scikit-learn's GroupKFold does: deterministic, no seed needed.
 */
export function groupKFold(groups: readonly string[], requestedK: number, unit: GroupUnit = 'night'): GroupFolds {
  const sizes = new Map<string, number>();
  for (const g of groups) sizes.set(g, (sizes.get(g) ?? 0) + 1);
  const nGroups = sizes.size;
  const fold = new Int32Array(groups.length).fill(-1);
  if (nGroups < MIN_GROUPS) {
    const by = unit === 'file' ? ' (by source file)' : '';
    const note = `cv_night${by}: n/a — labels from ${nGroups} ${unit}${nGroups === 1 ? '' : 's'}; need ${MIN_GROUPS}`;
    return { k: 0, requestedK, fold, note, nGroups, foldGroups: [] };
  }
  const k = Math.min(Math.max(2, Math.floor(requestedK)), nGroups);
  const order = [...sizes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const load = new Array<number>(k).fill(0);
  const foldOf = new Map<string, number>();
  const foldGroups: string[][] = Array.from({ length: k }, () => []);
  for (const [g, size] of order) {
    const f = load.indexOf(Math.min(...load));
    load[f] += size;
    foldOf.set(g, f);
    foldGroups[f].push(g);
  }
  groups.forEach((g, i) => (fold[i] = foldOf.get(g)!));
  for (const list of foldGroups) list.sort();
  const note = k < requestedK ? `k reduced from ${requestedK} to ${k}: labels from ${nGroups} ${unit}s` : undefined;
  return { k, requestedK, fold, note, nGroups, foldGroups };
}

/**
 * The group of each row made whole per object: every alert of an object takes the group of the object's earliest
 * alert (by `time`), so an object's alerts never straddle training and test.
 */
export function objectWholeGroups(objectIds: readonly string[], groups: readonly string[], time: ArrayLike<number>): string[] {
  const first = new Map<string, number>();
  objectIds.forEach((o, i) => {
    const j = first.get(o);
    if (j === undefined || time[i] < time[j]) first.set(o, i);
  });
  return objectIds.map((o) => groups[first.get(o)!]);
}
