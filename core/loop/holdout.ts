/**
 * The fixed held-out labelled set the user marks (table `holdout`, migration 005): one set for the store, whatever the
 * task. Membership is by whole object: an alert is held out when its candid is marked or its objectId is the object of
 * a marked alert, so alerts of one object never straddle training and held-out. Held-out alerts are left out of the
 * training set and of the pool (never proposed); they stay in the labels export. Each round evaluates its model on the
 * counted labels of the held-out alerts (pool.ts `loadHoldoutSet`).
 *
 * Marking, clearing and the summary act on one survey's part of the set (default: the current feature set's survey;
 * a mark of an alert not ingested belongs to every survey): each survey's rounds are evaluated on its own alerts, and
 * marking LSST nights neither needs nor touches ZTF's marks.
 */
import { parse } from 'csv-parse/sync';
import { DEFAULT_CLASS_MAPS, TASK_CLASS_NAMES, type Task } from '../labels.js';
import { Rng } from '../learn/random.js';
import type { Db } from '../store/database.js';
import { currentLabels } from '../store/labels.js';
import { holdoutRows, insertHoldoutMarks, objectIdsOf } from '../store/holdout.js';
import { currentSurvey } from '../store/settings.js';
import { clearHoldoutOf, holdoutMarksOf, labelledOfOtherSurveys, surveyAlertsOfNights, surveyNights, surveysOfNight } from '../store/survey-scope.js';
import { SURVEY_LABELS } from '../surveys/registry.js';
import type { SurveyId } from '../surveys/survey.js';

/** Fewer counted held-out labels than this (or one class only): no held-out metrics, a warning instead. */
export const HOLDOUT_MIN = 10;

export interface HeldOut {
  candids: Set<string>;
  objects: Set<string>;
  has(candid: string, objectId: string | null | undefined): boolean;
}

export function heldOut(db: Db): HeldOut {
  const rows = holdoutRows(db);
  const candids = new Set(rows.map((r) => r.candid));
  const objects = new Set(rows.flatMap((r) => (r.objectId ? [r.objectId] : [])));
  return { candids, objects, has: (c, o) => candids.has(c) || (!!o && objects.has(o)) };
}

export interface GroupItem {
  candid: string;
  objectId: string;
  cls: 0 | 1;
}

/**
 * Pick whole objects so that about `fraction` of each class's items are held out. An object goes to the stratum of
 * its majority class (ties: class 1, usually the rarer); within a stratum, objects in seeded random order are taken
 * while taking one brings the stratum's held-out count closer to its target round(fraction × count).
 * Written here because no package does a stratified *grouped* split on our own seeded RNG.
 */
export function stratifiedGroupPick(items: readonly GroupItem[], fraction: number, seed: number): Set<string> {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`fraction must be in (0, 1), not ${fraction}`);
  const byObject = new Map<string, GroupItem[]>();
  for (const it of items) {
    const g = byObject.get(it.objectId);
    if (g) g.push(it);
    else byObject.set(it.objectId, [it]);
  }
  const strata: [string[], string[]] = [[], []];
  // Sorted so the pick depends only on the items and the seed, not on their order.
  for (const o of [...byObject.keys()].sort()) {
    const g = byObject.get(o)!;
    const n1 = g.filter((x) => x.cls === 1).length;
    strata[2 * n1 >= g.length ? 1 : 0].push(o);
  }
  const rng = new Rng(seed);
  const picked = new Set<string>();
  for (const c of [0, 1] as const) {
    const total = items.filter((x) => x.cls === c).length;
    const target = Math.round(fraction * total);
    const order = strata[c];
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    let held = 0;
    for (const o of order) {
      const n = byObject.get(o)!.filter((x) => x.cls === c).length;
      if (Math.abs(held + n - target) < Math.abs(held - target)) {
        for (const x of byObject.get(o)!) picked.add(x.candid);
        held += n;
      }
    }
  }
  return picked;
}

export interface MarkReport {
  /** Candids newly marked. */
  marked: number;
  /** Already in the set. */
  already: number;
  /** In the file but unknown to the store (neither ingested nor labelled): marked by candid only. */
  unknown: string[];
}

function insertMarks(db: Db, rows: { candid: string; objectId: string | null }[], task: Task, source: string): MarkReport {
  const marked = insertHoldoutMarks(db, rows, task, source);
  return { marked, already: rows.length - marked, unknown: [] };
}

export class HoldoutExistsError extends Error {
  constructor(n: number) {
    super(`a held-out set of ${n} alert(s) is already marked: it is meant to stay fixed (clear it first with --clear)`);
    this.name = 'HoldoutExistsError';
  }
}

/** Marks of the survey's part of the held-out set. */
export function holdoutMarked(db: Db, survey: SurveyId): number {
  return holdoutMarksOf(db, survey).length;
}

/** Either marking mode refuses when the survey has a set: a fixed set is what makes rounds comparable. */
function refuseExistingHoldout(db: Db, survey: SurveyId): void {
  const n = holdoutMarked(db, survey);
  if (n > 0) throw new HoldoutExistsError(n);
}

/** The survey's current labels (those of another survey's alerts left out). */
function surveyLabels(db: Db, survey: SurveyId) {
  const other = labelledOfOtherSurveys(db, survey);
  return currentLabels(db).filter((l) => !other.has(l.candid));
}

/**
 * Mark a stratified, object-grouped `fraction` of the task's currently counted human labels (import included) as
 * held out. Refuses when a set exists: a fixed set is what makes rounds comparable.
 */
export function markHoldoutFraction(db: Db, task: Task, fraction: number, seed = 0, survey: SurveyId = currentSurvey(db)): MarkReport {
  refuseExistingHoldout(db, survey);
  const classMap = DEFAULT_CLASS_MAPS[task];
  const items: GroupItem[] = [];
  for (const l of surveyLabels(db, survey)) {
    const c = classMap[l.label];
    if (c === 0 || c === 1) items.push({ candid: l.candid, objectId: l.objectId, cls: c });
  }
  const picked = stratifiedGroupPick(items, fraction, seed);
  return insertMarks(
    db,
    items.filter((x) => picked.has(x.candid)).map((x) => ({ candid: x.candid, objectId: x.objectId })),
    task,
    `fraction ${fraction} seed ${seed}`,
  );
}

/** A night the store has no alert of, or not a YYYY-MM-DD date: names the night, not the data. */
export class HoldoutNightError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HoldoutNightError';
  }
}

/**
 * Held-out nights: every ingested alert of these nights (and so their objects) is held out, labelled or not, so each
 * round also measures its model on nights it never saw (the question a model for tomorrow's alerts must answer).
 * Refuses when a set exists, as the fraction mode does.
 */
export function markHoldoutNights(
  db: Db,
  task: Task,
  nights: readonly string[],
  survey: SurveyId = currentSurvey(db),
): MarkReport & { perNight: Record<string, number> } {
  refuseExistingHoldout(db, survey);
  const wanted = [...new Set(nights.map((x) => x.trim()).filter(Boolean))];
  if (wanted.length === 0) throw new HoldoutNightError('nights: give at least one night (YYYY-MM-DD)');
  const bad = wanted.find((x) => !/^\d{4}-\d{2}-\d{2}$/.test(x));
  if (bad !== undefined) throw new HoldoutNightError(`nights: '${bad}' is not a night (YYYY-MM-DD)`);
  const known = new Set(surveyNights(db, survey));
  const unknown = wanted.filter((x) => !known.has(x));
  if (unknown.length) throw new HoldoutNightError(`nights: ${unknown.map((x) => noSurveyAlertOn(db, x, survey)).join('; ')}`);
  const rows = surveyAlertsOfNights(db, survey, wanted);
  const perNight: Record<string, number> = Object.fromEntries(wanted.map((x) => [x, 0]));
  for (const r of rows) perNight[r.night]++;
  return { ...insertMarks(db, rows, task, `nights ${wanted.join(',')}`), perNight };
}

/** Why a night cannot be held out for the survey: no alert at all, or only another survey's. */
function noSurveyAlertOn(db: Db, night: string, survey: SurveyId): string {
  const others = surveysOfNight(db, night).map((x) => SURVEY_LABELS[x]);
  if (others.length === 0) return `no ingested alert on ${night}`;
  return `no ${SURVEY_LABELS[survey]} alert on ${night} (only ${others.join(', ')})`;
}

/** The candids of a CSV with a `candid` column (19-digit strings kept as text). */
export function candidsFromCsv(text: string): string[] {
  const recs = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true, relax_column_count: true }) as Record<string, string>[];
  if (recs.length > 0 && !('candid' in recs[0])) throw new Error("the file has no 'candid' column");
  const out: string[] = [];
  recs.forEach((r, i) => {
    const c = (r.candid ?? '').trim();
    if (!/^\d{1,20}$/.test(c)) throw new Error(`row ${i + 2}: bad candid '${r.candid ?? ''}'`);
    out.push(c);
  });
  return out;
}

/** Add candids (e.g. from a file) to the held-out set; their objects come along. */
export function markHoldoutCandids(db: Db, task: Task, candids: readonly string[], source = 'file'): MarkReport {
  const objects = objectIdsOf(db, [...new Set(candids)]);
  const unknown: string[] = [];
  const rows = [...objects].map(([candid, objectId]) => {
    if (objectId === undefined) unknown.push(candid);
    return { candid, objectId: objectId || null };
  });
  return { ...insertMarks(db, rows, task, source), unknown };
}

/** Clears the survey's part of the held-out set; returns how many marks went. */
export function clearHoldout(db: Db, survey: SurveyId = currentSurvey(db)): number {
  return clearHoldoutOf(db, survey);
}

export interface HoldoutSummary {
  /** Whose part of the set this is. */
  survey: SurveyId;
  /** The survey's marks (rows of the holdout table). */
  marked: number;
  /** Distinct held-out objects. */
  objects: number;
  /** Labelled alerts held out (marked or of a held-out object), per task class; 'not counted' = a NaN class. */
  perClass: Record<string, number>;
  /** Held-out labelled alerts per label word. */
  perLabel: Record<string, number>;
}

export function holdoutSummary(db: Db, task: Task, survey: SurveyId = currentSurvey(db)): HoldoutSummary {
  const marks = holdoutMarksOf(db, survey);
  const h = heldOut(db);
  const names = TASK_CLASS_NAMES[task];
  const classMap = DEFAULT_CLASS_MAPS[task];
  const perClass: Record<string, number> = { [names[0]]: 0, [names[1]]: 0, 'not counted': 0 };
  const perLabel: Record<string, number> = {};
  for (const l of surveyLabels(db, survey)) {
    if (!h.has(l.candid, l.objectId)) continue;
    const c = classMap[l.label];
    perClass[c === 0 || c === 1 ? names[c] : 'not counted']++;
    perLabel[l.label] = (perLabel[l.label] ?? 0) + 1;
  }
  const objects = new Set(marks.flatMap((m) => (m.objectId ? [m.objectId] : [])));
  return { survey, marked: marks.length, objects: objects.size, perClass, perLabel };
}

/** Why held-out metrics cannot be computed on these class indices (null = they can). */
export function holdoutProblem(y: ArrayLike<number>, names: readonly [string, string] | readonly string[]): string | null {
  let n1 = 0;
  for (let i = 0; i < y.length; i++) n1 += y[i];
  const n = y.length;
  if (n < HOLDOUT_MIN) return `the held-out set has ${n} counted label(s) with features, under ${HOLDOUT_MIN}: no held-out metrics`;
  if (n1 === 0 || n1 === n) {
    return `the held-out set has only class '${names[n1 === 0 ? 0 : 1]}' (${n} counted): no held-out metrics (it needs both classes)`;
  }
  return null;
}
