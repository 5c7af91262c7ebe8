/**
 * The two sets a round works on: the training set (current labels mapped through the task's class map; labels of the
 * task's NaN classes are stored but not counted) and the pool (ingested alerts with ndets > 0, not labelled, not
 * skipped, optionally one night). Both are of one feature set, hence of one survey (FEATURE_SET_SURVEY): features are
 * stored only for their survey's alerts. Held-out alerts (holdout.ts: marked, or of a marked alert's object) are in neither;
 * `loadHoldoutSet` loads their counted labels for evaluation.
 */
import { LABELS, type ClassMap, type Label } from '../labels.js';
import type { Db } from '../store/database.js';
import { FEATURE_SET_SURVEY, type FeatureSetName } from '../features/names.js';
import { loadFeatureMatrix, type FeatureMatrix } from '../store/features.js';
import { currentLabels, labelMap, skippedCandids } from '../store/labels.js';
import { busiestPoolNightOf } from '../store/pool-nights.js';
import { currentSurvey } from '../store/settings.js';
import { labelledOfOtherSurveys } from '../store/survey-scope.js';
import type { SurveyId } from '../surveys/survey.js';
import { heldOut } from './holdout.js';

export interface TrainingSet extends FeatureMatrix {
  /** Class index per row (0/1). */
  y: Uint8Array;
  /** The label word per row. */
  labels: Label[];
  /** Labelled alerts whose label maps to NaN for this task (stored, not counted). */
  notCounted: number;
  /** Labelled and counted, but without features (not ingested, or features missing). */
  missingFeatures: number;
  /** Counted labels left out because they are held out (the held-out set of loadTrainingSet; 0 in loadHoldoutSet). */
  heldOut: number;
  /** The feature set of the rows (its survey's alerts only). */
  featureSet: FeatureSetName;
}

export function countedLabels(labels: Map<string, Label>, classMap: ClassMap): Map<string, 0 | 1> {
  const out = new Map<string, 0 | 1>();
  for (const [candid, label] of labels) {
    const cls = classMap[label];
    if (cls !== null && cls !== undefined) out.set(candid, cls);
  }
  return out;
}

export function loadTrainingSet(db: Db, classMap: ClassMap, featureSet: FeatureSetName = 'seed'): TrainingSet {
  return countedSet(db, classMap, false, featureSet);
}

/** The counted labels of the held-out alerts (what each round's model is evaluated on). */
export function loadHoldoutSet(db: Db, classMap: ClassMap, featureSet: FeatureSetName = 'seed'): TrainingSet {
  return countedSet(db, classMap, true, featureSet);
}

function countedSet(db: Db, classMap: ClassMap, wantHeldOut: boolean, featureSet: FeatureSetName): TrainingSet {
  const h = heldOut(db);
  // Another survey's labels have no row in this set: they are neither missing features nor this set's to count.
  const other = labelledOfOtherSurveys(db, FEATURE_SET_SURVEY[featureSet]);
  const all = currentLabels(db).filter((l) => !other.has(l.candid));
  const labels = new Map<string, Label>();
  const outside = new Map<string, Label>();
  for (const l of all) (h.has(l.candid, l.objectId) === wantHeldOut ? labels : outside).set(l.candid, l.label);
  const counted = countedLabels(labels, classMap);
  const m = loadFeatureMatrix(db, { candids: [...counted.keys()], featureSet });
  // A label's objectId comes from the label event; the alert's own objectId (the matrix) is checked too.
  const keep: number[] = [];
  m.candids.forEach((c, i) => {
    if (h.has(c, m.objectIds[i]) === wantHeldOut) keep.push(i);
  });
  const s = keep.length === m.n ? m : subsetRows(m, keep);
  const y = new Uint8Array(s.n);
  const words: Label[] = [];
  s.candids.forEach((c, i) => {
    y[i] = counted.get(c)!;
    words.push(labels.get(c)!);
  });
  return {
    ...s,
    y,
    labels: words,
    notCounted: labels.size - counted.size,
    missingFeatures: counted.size - m.n,
    heldOut: wantHeldOut ? 0 : countedLabels(outside, classMap).size + (m.n - keep.length),
    featureSet,
  };
}

function subsetRows(m: FeatureMatrix, keep: number[]): FeatureMatrix {
  const X = new Float64Array(keep.length * m.d);
  keep.forEach((i, k) => X.set(m.X.subarray(i * m.d, (i + 1) * m.d), k * m.d));
  return { candids: keep.map((i) => m.candids[i]), objectIds: keep.map((i) => m.objectIds[i]), X, n: keep.length, d: m.d, names: m.names };
}

export interface PoolQuery {
  night?: string | null;
  /** Extra candids to leave out (e.g. the batch being labelled). */
  exclude?: Iterable<string>;
  featureSet?: FeatureSetName;
}

/** Unlabelled, unskipped, not held-out alerts with at least one positive detection. */
export function loadPool(db: Db, q: PoolQuery = {}): FeatureMatrix {
  const all = loadFeatureMatrix(db, { night: q.night ?? null, minNdets: 1, featureSet: q.featureSet });
  const out = new Set<string>([...labelMap(db).keys(), ...skippedCandids(db), ...(q.exclude ?? [])]);
  const h = heldOut(db);
  const keep: number[] = [];
  all.candids.forEach((c, i) => {
    if (!out.has(c) && !h.has(c, all.objectIds[i])) keep.push(i);
  });
  return subsetRows(all, keep);
}

/** The survey's night with most pool alerts (ties: the latest night), or null when its pool is empty. */
export function busiestPoolNight(db: Db, survey: SurveyId = currentSurvey(db)): string | null {
  return busiestPoolNightOf(db, survey);
}

/** Counts per label word (every label, counted or not) and per task class. */
export function labelCounts(labels: Iterable<Label>, classMap: ClassMap, classNames: [string, string]) {
  const perLabel: Record<string, number> = Object.fromEntries(LABELS.map((l) => [l, 0]));
  const perClass: Record<string, number> = { [classNames[0]]: 0, [classNames[1]]: 0, 'not counted': 0 };
  for (const l of labels) {
    perLabel[l]++;
    const c = classMap[l];
    perClass[c === null ? 'not counted' : classNames[c]]++;
  }
  return { perLabel, perClass };
}
