/**
 * One active-learning round, end to end. Round 0 picks N0 alerts of one night without a model, unless N0 counted
 * labels already exist (an imported labelled set): then round 0 trains like any other. A model round trains on
 * every counted label (through the task's class map), cross-validates, computes permutation importance, scores the
 * pool, proposes the top N, and logs all of it as a tracked run.
 *
 * Run `round_<r>_<strategy>` is the model of round r: trained on every label counted before batch r, it proposed
 * batch r (rounds.run_id of batch r points to it); its param `round` and its metrics' step are r.
 *
 * When the user has marked a held-out set (holdout.ts), it is left out of training and of the pool, and the round's
 * model is also evaluated on it: holdout_* metrics (the cv_* set) and n_holdout, or a warning when it is too small or
 * has one class only.
 *
 * A round works on one feature set, hence on one survey's alerts (FEATURE_SET_SURVEY): its pool, training set and
 * held-out set hold only that survey's alerts. Round numbers are per task; the survey's first round is its cold start.
 */
import { stringify } from 'csv-stringify/sync';
import { DEFAULT_CLASS_MAPS, TASK_CLASS_NAMES, type Task } from '../labels.js';
import { FEATURE_SET_SURVEY, type FeatureSetName } from '../features/names.js';
import { SURVEY_LABELS } from '../surveys/registry.js';
import type { SurveyId } from '../surveys/survey.js';
import { labelledOfOtherSurveys, surveysOfNight } from '../store/survey-scope.js';
import type { EngineName } from '../learn/classifier.js';
import type { GroupUnit } from '../learn/group-folds.js';
import { flattenMetrics } from '../learn/metrics.js';
import type { Settings } from '../api/types.js';
import type { Db } from '../store/database.js';
import { getSettings } from '../store/settings.js';
import { currentLabels, labelMap } from '../store/labels.js';
import { endRun, logArtifact, logMetrics, logParams, setTags, startRun } from '../track/tracker.js';
import { logBalance, logConfusion, logImportance } from '../track/log-artifacts.js';
import { computeRound, type ComputeProgress, type RoundComputeOutput } from './compute.js';
import { heldOut, holdoutMarked, holdoutProblem } from './holdout.js';
import { trainingGroups } from './night-groups.js';
import { busiestPoolNight, labelCounts, loadHoldoutSet, loadPool, loadTrainingSet, type TrainingSet } from './pool.js';
import { firstProposalRounds, nextRoundNumber, recordRound, roundProposals, type ProposalRow, type RoundRow } from './rounds.js';
import { informativeness, initialBatch, type LoopStrategy } from './select.js';
import { activeBatch, latestRoundOf } from './state.js';

export interface RoundOptions {
  /** Override stored settings for this round. */
  settings?: Partial<Omit<Settings, 'dbPath' | 'labelKeys'>>;
  /** Folder under which run artifacts are written (ServiceContext.artifactsDir). */
  artifactsRoot: string;
  cvFolds?: number;
  importanceRepeats?: number;
  /** A class under this fraction of the counted training labels raises a warning. Default 0.2. */
  balanceThreshold?: number;
  /** Reserve proposals beyond the batch, as a multiple of the batch size (default 1). */
  reserveFactor?: number;
  /** Compute on the calling thread instead of worker threads (tests). */
  inline?: boolean;
  progress?: ComputeProgress;
}

export interface RoundResult {
  round: RoundRow;
  /** The survey whose alerts the round trained on and proposed, and the feature set it used. */
  survey: SurveyId;
  featureSet: FeatureSetName;
  /** The batch (the first batchSize proposals). */
  proposals: ProposalRow[];
  /** Ranked reserve: joins the batch when a label of a NaN class does not count. */
  reserve: ProposalRow[];
  runId: string | null;
  /**
   * Cross-validated metrics (prefixed cv_) and train_accuracy, when a model was trained; holdout_* (metrics on the
   * user's held-out set) when one with both classes and at least HOLDOUT_MIN labels exists; n_holdout when one exists.
   */
  metrics: Record<string, number>;
  warnings: string[];
  /** Why the model strategy was not used (fewer than 2 classes labelled), if so. */
  fallback: string | null;
  nTrain: number;
  nPool: number;
}

export type Balance = { train: Record<string, number>; batch: Record<string, number>; poolPredicted: Record<string, number>; warnings: string[] };

/** Counts per label and per task class in the training set; warning when a class is under `threshold`. */
export function trainingBalance(
  db: Db,
  task: Task,
  ts: TrainingSet,
  threshold: number,
): { counts: Record<string, number>; warnings: string[] } {
  const names = TASK_CLASS_NAMES[task];
  const h = heldOut(db);
  const other = labelledOfOtherSurveys(db, FEATURE_SET_SURVEY[ts.featureSet]);
  const all = currentLabels(db)
    .filter((l) => !h.has(l.candid, l.objectId) && !other.has(l.candid))
    .map((l) => l.label);
  const { perLabel, perClass } = labelCounts(all, DEFAULT_CLASS_MAPS[task], names);
  const counts: Record<string, number> = {};
  for (const [l, n] of Object.entries(perLabel)) counts[`label:${l}`] = n;
  for (const [c, n] of Object.entries(perClass)) counts[`class:${c}`] = n;
  counts.n_train = ts.n;
  const warnings: string[] = [];
  const n1 = ts.y.reduce((a, v) => a + v, 0);
  const byClass = [ts.n - n1, n1];
  byClass.forEach((n, c) => {
    if (ts.n > 0 && n / ts.n < threshold) {
      warnings.push(
        `class '${names[c]}' has ${n} of ${ts.n} training labels (${((100 * n) / ts.n).toFixed(0)}%), under ${(100 * threshold).toFixed(0)}%`,
      );
    }
  });
  if (ts.heldOut > 0) counts.n_held_out_excluded = ts.heldOut;
  if (ts.missingFeatures > 0) warnings.push(`${ts.missingFeatures} counted label(s) have no features (alert not ingested) and were left out`);
  return { counts, warnings };
}

export interface HoldoutInput {
  /** The held-out counted labels with features (null when no held-out set is marked). */
  set: TrainingSet | null;
  /** What to evaluate on (null when there is no usable set). */
  input: { X: Float64Array; n: number; y: Uint8Array } | null;
  /** Why there are no held-out metrics although a set is marked. */
  warning: string | null;
}

/** The marked held-out set of a task, ready for computeRound's `holdout`. */
export function holdoutFor(db: Db, task: Task, featureSet: Settings['featureSet'] = 'seed'): HoldoutInput {
  // Another survey's held-out set is not this round's: none marked for this survey means none.
  if (holdoutMarked(db, FEATURE_SET_SURVEY[featureSet]) === 0) return { set: null, input: null, warning: null };
  const set = loadHoldoutSet(db, DEFAULT_CLASS_MAPS[task], featureSet);
  const warning = holdoutProblem(set.y, TASK_CLASS_NAMES[task]);
  return { set, input: warning ? null : { X: set.X, n: set.n, y: set.y }, warning };
}

function settingsFor(db: Db, dbPath: string, o: RoundOptions): Settings {
  return { ...getSettings(db, dbPath), ...(o.settings ?? {}) };
}

export async function runRound(db: Db, dbPath: string, o: RoundOptions): Promise<RoundResult> {
  const s = settingsFor(db, dbPath, o);
  const r = nextRoundNumber(db, s.task);
  // A labelled set imported before the survey's first round is trained on at once; a random pick is for a cold start.
  const first = latestRoundOf(db, s.task, FEATURE_SET_SURVEY[s.featureSet]) === null;
  const cold = first && loadTrainingSet(db, DEFAULT_CLASS_MAPS[s.task], s.featureSet).n < s.n0;
  return cold ? roundZero(db, s, r, o) : modelRound(db, s, r, o);
}

/** Why the survey's pool is empty on a night: the night may hold only another survey's alerts, or none. */
export function emptyNightReason(db: Db, night: string, survey: SurveyId): string {
  const present = surveysOfNight(db, night);
  const label = SURVEY_LABELS[survey];
  if (present.includes(survey)) return `no unlabelled ${label} alerts with detections on night ${night}`;
  if (present.length === 0) return `night ${night} has no alerts in the store: choose another night or all nights (Settings)`;
  const only = present.map((x) => SURVEY_LABELS[x]).join(', ');
  return `night ${night} has no ${label} alerts (only ${only}): choose a ${label} night or all nights (Settings), or switch the survey`;
}

function split(db: Db, round: RoundRow): Pick<RoundResult, 'proposals' | 'reserve'> {
  const all = roundProposals(db, round.id);
  const n = round.batchSize ?? all.length;
  return { proposals: all.slice(0, n), reserve: all.slice(n) };
}

const withReserve = (n: number, o: RoundOptions) => n + Math.round(n * (o.reserveFactor ?? 1));

function roundZero(db: Db, s: Settings, r: number, o: RoundOptions): RoundResult {
  const survey = FEATURE_SET_SURVEY[s.featureSet];
  const night = s.night ?? busiestPoolNight(db, survey);
  const pool = loadPool(db, { night, featureSet: s.featureSet });
  if (pool.n === 0) {
    throw new Error(night ? emptyNightReason(db, night, survey) : `the ${SURVEY_LABELS[survey]} pool is empty: ingest ${SURVEY_LABELS[survey]} alerts first`);
  }
  const strategy = s.strategy === 'diversity' ? 'diversity' : 'random';
  const picks = initialBatch(strategy, withReserve(s.n0, o), s.seed, pool.n, pool.objectIds, pool.X, pool.d);
  const how = strategy === 'diversity' ? 'diversity pick (spread in feature space)' : `random pick (seed ${s.seed})`;
  const warnings = pool.n < s.n0 ? [`night ${night} has only ${pool.n} pool alerts: batch of ${pool.n}, not ${s.n0}`] : [];
  const round = recordRound(db, {
    task: s.task,
    round: r,
    strategy,
    runId: null,
    night,
    nTrain: 0,
    warnings,
    batchSize: s.n0,
    survey,
    featureSet: s.featureSet,
    proposals: picks.map((p, k) => ({
      candid: pool.candids[p.index],
      prob: null,
      score: null,
      reason: `round ${r}: ${how} from night ${night}, pick ${k + 1}${p.reason.includes('deferred') ? ' (an object already in the batch: the pool ran short)' : ''}`,
    })),
  });
  return { round, survey, featureSet: s.featureSet, ...split(db, round), runId: null, metrics: {}, warnings, fallback: null, nTrain: 0, nPool: pool.n };
}

async function modelRound(db: Db, s: Settings, r: number, o: RoundOptions): Promise<RoundResult> {
  const task = s.task;
  const names = TASK_CLASS_NAMES[task];
  const ts = loadTrainingSet(db, DEFAULT_CLASS_MAPS[task], s.featureSet);
  const survey = FEATURE_SET_SURVEY[s.featureSet];
  const pool = loadPool(db, { night: s.night, featureSet: s.featureSet });
  if (pool.n === 0) {
    throw new Error(`round ${r}: ${s.night ? emptyNightReason(db, s.night, survey) : `the ${SURVEY_LABELS[survey]} pool is empty`}: nothing left to propose`);
  }
  const bal = trainingBalance(db, task, ts, o.balanceThreshold ?? 0.2);
  const warnings = [...bal.warnings];
  const ho = holdoutFor(db, task, s.featureSet);
  if (ho.warning) warnings.push(ho.warning);
  const classes = new Set(ts.y);
  const strategy = s.strategy as LoopStrategy;
  const unit: GroupUnit = s.cvGroup ?? 'night';

  let fallback: string | null = null;
  let out: RoundComputeOutput | null = null;
  if (classes.size < 2) {
    const only = classes.size === 0 ? 'no counted labels' : `only class '${names[[...classes][0]]}' is labelled (${ts.n} counted)`;
    fallback = `${only}: a model needs both classes, so this batch is a ${strategy === 'diversity' ? 'diversity' : 'random'} pick`;
    warnings.push(fallback);
  } else {
    out = await computeRound(
      {
        engine: { engine: s.engine as EngineName, seed: s.seed },
        strategy,
        batchSize: withReserve(s.n, o),
        seed: s.seed + r,
        names: ts.names,
        train: { X: ts.X, n: ts.n, d: ts.d, y: ts.y, groups: trainingGroups(db, ts.candids, ts.objectIds, unit) },
        groupUnit: unit,
        pool: { X: pool.X, n: pool.n, objectIds: pool.objectIds },
        holdout: ho.input,
        cvFolds: o.cvFolds,
        importanceRepeats: o.importanceRepeats,
        inline: o.inline,
      },
      o.progress,
    );
    if (out.cvNote) warnings.push(out.cvNote);
  }
  const usedStrategy = fallback ? (strategy === 'diversity' ? 'diversity' : 'random') : strategy;
  const picks = out
    ? out.picks.map((p) => ({
        candid: pool.candids[p.index],
        prob: p.prob,
        score: informativeness(strategy, p.score),
        // compute.ts knows classes by number only: the person reads the task's class name.
        reason: p.reason.replace('P(class 1)', `P(${names[1]})`),
      }))
    : initialBatch(usedStrategy === 'diversity' ? 'diversity' : 'random', withReserve(s.n, o), s.seed + r, pool.n, pool.objectIds, pool.X, pool.d).map(
        (p) => ({ candid: pool.candids[p.index], prob: null, score: null, reason: `${fallback}; ${p.reason}` }),
      );

  // Balance of the proposed batch (by predicted class) and predicted class fractions over the pool.
  // The new batch by predicted class; the batch just labelled (round r-1) by label and by task class.
  const batch: Record<string, number> = {};
  const add = (k: string) => (batch[k] = (batch[k] ?? 0) + 1);
  const prev = latestRoundOf(db, task, survey);
  if (prev) {
    const labels = labelMap(db);
    const classMap = DEFAULT_CLASS_MAPS[task];
    for (const p of activeBatch(roundProposals(db, prev.id), prev.batchSize, labels, classMap)) {
      const l = labels.get(p.candid);
      add(l ? `labelled:${l}` : 'labelled:(none)');
      if (l) add(`labelled class:${classMap[l] === null ? 'not counted' : names[classMap[l]!]}`);
    }
  }
  const poolPredicted: Record<string, number> = {};
  if (out) {
    for (const p of picks.slice(0, s.n)) add(`predicted:${names[p.prob! >= 0.5 ? 1 : 0]}`);
    let n1 = 0;
    for (const p of out.poolP1) if (p >= 0.5) n1++;
    poolPredicted[names[0]] = pool.n ? (pool.n - n1) / pool.n : 0;
    poolPredicted[names[1]] = pool.n ? n1 / pool.n : 0;
  }
  batch.size = Math.min(s.n, picks.length);
  batch.reserve = Math.max(0, picks.length - s.n);
  const balance: Balance = { train: bal.counts, batch, poolPredicted, warnings };

  const metrics: Record<string, number> = {};
  if (out) {
    if (out.cvNight) Object.assign(metrics, flattenMetrics(out.cvNight, 'cv_night_'));
    metrics.cv_night_k = out.cvNightK;
    metrics.cv_night_groups = out.cvNightGroups;
    if (out.cv) Object.assign(metrics, flattenMetrics(out.cv, 'cv_'));
    metrics.cv_k = out.cvK;
    metrics.train_accuracy = out.trainAccuracy;
    if (out.holdout) Object.assign(metrics, flattenMetrics(out.holdout, 'holdout_'));
  }
  if (ho.set) metrics.n_holdout = ho.set.n;
  metrics.n_train = ts.n;
  metrics.n_pool = pool.n;
  metrics.n_not_counted = ts.notCounted;

  const runId = logRoundRun(db, o.artifactsRoot, { s, r, strategy: usedStrategy, ts, out, balance, metrics, picks, fallback, night: s.night, holdout: ho });
  const round = recordRound(db, {
    task,
    round: r,
    strategy: usedStrategy,
    runId,
    night: s.night,
    nTrain: ts.n,
    warnings,
    proposals: picks,
    batchSize: s.n,
    survey,
    featureSet: s.featureSet,
  });
  return { round, survey, featureSet: s.featureSet, ...split(db, round), runId, metrics, warnings, fallback, nTrain: ts.n, nPool: pool.n };
}

interface RunLog {
  s: Settings;
  r: number;
  strategy: string;
  ts: TrainingSet;
  out: RoundComputeOutput | null;
  balance: Balance;
  metrics: Record<string, number>;
  picks: { candid: string; prob: number | null; score: number | null; reason: string }[];
  fallback: string | null;
  night: string | null;
  holdout: HoldoutInput;
}

const num = (v: number): string => (Number.isNaN(v) ? '' : String(v));

function logRoundRun(db: Db, artifactsRoot: string, L: RunLog): string {
  const step = L.r;
  const name = `round_${step}_${L.strategy}`;
  const runId = startRun(db, {
    experiment: `${L.s.task}_${L.s.strategy}`,
    name,
    artifactsRoot,
    tags: {
      task: L.s.task,
      'metrics.kind': L.out?.cv ? `stratified ${L.out.cvK}-fold cross-validation (out-of-fold)` : 'none',
      ...(L.out ? nightTags(L.out) : {}),
      'holdout.kind': L.out?.holdout
        ? `final model on the user's held-out set (${L.out.holdout.n} counted labels, excluded from training)`
        : (L.holdout.warning ?? 'none marked'),
      ...(L.fallback ? { fallback: L.fallback } : {}),
    },
  });
  try {
    logParams(db, runId, {
      round: step,
      strategy: L.strategy,
      engine: L.s.engine,
      feature_set: L.s.featureSet,
      survey: FEATURE_SET_SURVEY[L.s.featureSet],
      n_train: L.ts.n,
      task: L.s.task,
      seed: L.s.seed,
      batch_size: L.s.n,
      night: L.night ?? 'all',
    });
    logMetrics(db, runId, L.metrics, step);
    const ids = firstProposalRounds(db, L.s.task);
    logArtifact(
      db,
      runId,
      'training_ids.csv',
      stringify([['candid', 'round'], ...L.ts.candids.map((c) => [c, ids.get(c) ?? ''])]),
    );
    logArtifact(
      db,
      runId,
      'X_train.csv',
      stringify([['candid', ...L.ts.names], ...L.ts.candids.map((c, i) => [c, ...Array.from(L.ts.X.subarray(i * L.ts.d, (i + 1) * L.ts.d), num)])]),
    );
    logArtifact(
      db,
      runId,
      'y_train.csv',
      stringify([['candid', 'label', 'y'], ...L.ts.candids.map((c, i) => [c, L.ts.labels[i], L.ts.y[i]])]),
    );
    logArtifact(
      db,
      runId,
      'proposals.csv',
      stringify([
        ['rank', 'candid', 'prob', 'score', 'in_batch', 'reason'],
        ...L.picks.map((p, i) => [i + 1, p.candid, p.prob ?? '', p.score ?? '', i < L.s.n ? 1 : 0, p.reason]),
      ]),
    );
    if (L.holdout.set) {
      const hs = L.holdout.set;
      logArtifact(db, runId, 'holdout_ids.csv', stringify([['candid', 'label', 'y'], ...hs.candids.map((c, i) => [c, hs.labels[i], hs.y[i]])]));
    }
    if (L.out) {
      logArtifact(db, runId, 'model.json', JSON.stringify(L.out.model));
      if (L.out.cv) logConfusion(db, runId, L.out.cv.confusion.matrix, [...TASK_CLASS_NAMES[L.s.task]]);
      logImportance(db, runId, L.out.importance);
      logArtifact(db, runId, 'importance.json', JSON.stringify({ metric: L.out.importanceMetric, note: L.out.importanceNote, rows: L.out.importance }, null, 2));
    }
    logBalance(db, runId, L.balance);
    logArtifact(
      db,
      runId,
      'meta.json',
      JSON.stringify(
        {
          round: step,
          timestamp: new Date().toISOString(),
          n_train: L.ts.n,
          strategy: L.strategy,
          model_tag: L.out ? `${L.s.engine}-${L.out.model.format}-v${L.out.model.version}` : 'none',
          task: L.s.task,
          cv: L.out ? { k: L.out.cvK, note: L.out.cvNote } : null,
          holdout: L.holdout.set ? { n: L.holdout.set.n, evaluated: !!L.out?.holdout, note: L.holdout.warning } : null,
          seconds: L.out?.seconds ?? null,
          fallback: L.fallback,
        },
        null,
        2,
      ),
    );
    setTags(db, runId, { warnings: L.balance.warnings.join(' | ') || 'none' });
    endRun(db, runId, 'FINISHED');
  } catch (e) {
    endRun(db, runId, 'FAILED');
    throw e;
  }
  return runId;
}

/** What the headline (cv_night_*) metrics are, or why they are missing. */
function nightTags(out: RoundComputeOutput): Record<string, string> {
  const what = out.cvNight
    ? `${out.cvNightK} folds over ${out.cvNightGroups} ${out.cvNightUnit}s, whole ${out.cvNightUnit}s held out (out-of-fold)`
    : (out.cvNightNote ?? 'none');
  return { 'metrics.headline': 'cv_night', 'cv_night.kind': what, 'cv_night.unit': out.cvNightUnit };
}
