/**
 * The embedded run tracker: a small MLflow inside the app's SQLite store.
 *
 * Model (as MLflow's): an experiment (e.g. `gal_least_confidence`) holds runs (e.g. `round_3_least_confidence`, one
 * per active-learning round, or one per simulation cell). A run has
 * - a status: RUNNING from startRun, then FINISHED, FAILED or KILLED from endRun; start/end times in Unix ms;
 * - params: strings (numbers and booleans are stored as String(v)), immutable once logged: logging the same value
 *   again is a no-op, another value throws ParamChangeError;
 * - metrics: numbers by step, every logged point kept (history); NaN and ±Infinity allowed. The "latest" value of a
 *   key is MLflow's: the point with the largest (step, timestamp, value);
 * - tags: mutable strings;
 * - artifacts: files on disk, any path below the run's artifacts folder ('..', absolute paths refused).
 * Keys (params, metrics, tags) follow MLflow's rule: letters, digits, _ - . space and /, at most 250 characters.
 *
 * Where things live:
 * - tables `experiments`, `runs`, `params`, `metrics`, `tags` (core/store/migrations/003_tracking.ts), read and
 *   written through core/store/runs.ts;
 * - artifact files under `<artifactsRoot>/<experiment_id>/<run_id>/artifacts/<relPath>`, where
 *   artifactsRoot = `<folder of the database>/artifacts` (artifactsRootFor). The run's artifacts folder is stored in
 *   runs.artifact_uri (a plain absolute path) when the run starts, so later calls need only the run id; when that
 *   folder is gone but `artifactsRootFor(db file)/<experiment_id>/<run_id>/artifacts` exists (store folder moved),
 *   the latter is used;
 * - artifacts read back into RunDetail (names in names.ts, formats in artifact-formats.ts, writers in
 *   log-artifacts.ts): confusion.json, importance.csv (feature,mean,std), balance.json. A malformed one reads as
 *   absent and is reported in TrackedRun.problems.
 * - RunSummary.round / strategy / engine / nTrain come from the params `round`, `strategy`, `engine`, `n_train`
 *   (RUN_KEYS; then tags of those names, the metric n_train, or a run name `round_<N>_<strategy>`); -1 / '' when
 *   unknown.
 *
 * Typical use (core/loop):
 *   const runId = startRun(db, { experiment: 'gal_margin', name: 'round_2_margin', artifactsRoot, tags: { task } });
 *   logParams(db, runId, { round: 2, strategy: 'margin', engine: 'hgb', n_train: 50 });
 *   logMetrics(db, runId, { cv_roc_auc: 0.81, cv_balanced_accuracy: 0.74 }, 2);
 *   logArtifact(db, runId, 'model.json', JSON.stringify(model));
 *   logConfusion(db, runId, matrix, labels);            // log-artifacts.ts
 *   endRun(db, runId, 'FINISHED');                       // or withRun(db, opts, fn) to do start/end/FAILED
 * then listRuns / getRun / compareRuns to read, and export.ts for CSV, JSON and an MLflow file-store folder.
 *
 * Run ids are 32 lowercase hex characters (uuid4 without dashes), like MLflow's, so an MLflow export keeps them.
 * All database writes of one call happen in one transaction (a refused batch of params or tags writes nothing).
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Db } from '../store/database.js';
import * as store from '../store/runs.js';
import type { ExperimentRow, MetricPoint, RunRow, RunStatus } from '../store/runs.js';
import type { RunDetail, RunSummary } from '../api/types.js';
import { ExperimentNotFoundError, ParamChangeError, RunNotFoundError, TrackError } from './errors.js';
import { checkKey, RUN_KEYS } from './names.js';
import { listArtifacts, readArtifactFile, writeArtifactFile } from './artifacts.js';
import { readBalance, readConfusion, readImportance } from './artifact-formats.js';

export type { MetricPoint, RunStatus } from '../store/runs.js';
export const RUN_STATUSES: readonly RunStatus[] = ['RUNNING', 'FINISHED', 'FAILED', 'KILLED'];
export type ParamValue = string | number | boolean;

export interface Experiment {
  id: number;
  name: string;
  /** Unix ms. */
  createdAt: number;
  /** Folder holding the experiment's run folders. */
  artifactLocation: string;
}

export interface StartRunOptions {
  experiment: string;
  name: string;
  artifactsRoot: string;
  tags?: Record<string, ParamValue>;
  params?: Record<string, ParamValue>;
  /** Unix ms; default now. */
  startTime?: number;
  /** Default: the OS user name. */
  userId?: string;
}

/** The raw run record: ms times, ids, artifacts folder. */
interface RunRecord {
  experimentId: number;
  startTime: number;
  endTime: number | null;
  artifactUri: string;
  userId: string;
}

/** A RunSummary plus the raw run record. */
export interface TrackedRunSummary extends RunSummary, RunRecord {}

/** RunDetail (the contract type) plus the raw run record; metricHistory points also carry their timestamp. */
export interface TrackedRun extends RunDetail, RunRecord {
  metricHistory: MetricPoint[];
  /** Artifacts that could not be read (malformed confusion.json, importance.csv or balance.json); usually []. */
  problems: string[];
}

export interface RunComparison {
  runs: { runId: string; name: string; experiment: string; status: string }[];
  /** One row per param key present in any run; values in the order of `runs` (null = not logged). */
  params: { key: string; values: (string | null)[]; differs: boolean }[];
  /** One row per metric key; latest value per run (null = not logged). */
  metrics: { key: string; values: (number | null)[] }[];
}

/** Where run artifacts of the store at `dbPath` live: `<dirname(dbPath)>/artifacts`. */
export function artifactsRootFor(dbPath: string): string {
  return join(dirname(resolve(dbPath)), 'artifacts');
}

// ---------------------------------------------------------------------------------------------------------------
// Experiments

function toExperiment(r: ExperimentRow): Experiment {
  return { id: r.id, name: r.name, createdAt: r.created_at, artifactLocation: r.artifact_location };
}

export function getExperiment(db: Db, name: string): Experiment | null {
  const r = store.experimentByName(db, name);
  return r ? toExperiment(r) : null;
}

export function getExperimentById(db: Db, id: number): Experiment | null {
  const r = store.experimentById(db, id);
  return r ? toExperiment(r) : null;
}

/** The experiment named `name`, created (with its artifacts folder `<artifactsRoot>/<id>`) when missing. */
export function getOrCreateExperiment(db: Db, name: string, artifactsRoot: string): Experiment {
  if (name.trim() === '') throw new TrackError('experiment name is empty');
  return db.transaction(() => {
    const found = getExperiment(db, name);
    if (found) return found;
    const id = store.insertExperiment(db, name, Date.now());
    // The folder is named after the id, known only after the insert.
    store.setExperimentLocation(db, id, join(resolve(artifactsRoot), String(id)));
    return getExperimentById(db, id) as Experiment;
  })();
}

export function listExperiments(db: Db): (Experiment & { runs: number })[] {
  return store.experimentsWithRunCounts(db).map((r) => ({ ...toExperiment(r), runs: r.runs }));
}

// ---------------------------------------------------------------------------------------------------------------
// Runs: lifecycle and logging

function runRow(db: Db, runId: string): RunRow {
  const r = store.runById(db, runId);
  if (!r) throw new RunNotFoundError(runId);
  return r;
}

/**
 * The run id that `idOrPrefix` names: an exact id, or a unique prefix of at least 4 hex characters (as git
 * accepts short hashes). Throws RunNotFoundError when none or several runs match.
 */
export function resolveRunId(db: Db, idOrPrefix: string): string {
  const p = idOrPrefix.trim().toLowerCase();
  if (store.runExists(db, p)) return p;
  if (!/^[0-9a-f]{4,31}$/.test(p)) throw new RunNotFoundError(idOrPrefix);
  const rows = store.runIdsWithPrefix(db, p, 2);
  if (rows.length === 1) return rows[0];
  if (rows.length > 1) throw new TrackError(`run id prefix '${idOrPrefix}' matches several runs; give more characters`);
  throw new RunNotFoundError(idOrPrefix);
}

/** The run's artifacts folder (absolute path; may not exist yet if nothing was logged). */
export function runArtifactDir(db: Db, runId: string): string {
  return artifactDirOf(db, runRow(db, runId));
}

/**
 * The run's artifacts folder: the stored path, unless it is gone and the same run folder exists beside the database
 * (`artifactsRootFor(db file)/<experiment_id>/<run_id>/artifacts`): the store and its artifacts were moved together.
 */
function artifactDirOf(db: Db, r: RunRow): string {
  if (db.memory || existsSync(r.artifact_uri)) return r.artifact_uri;
  const moved = join(artifactsRootFor(db.name), String(r.experiment_id), r.run_id, 'artifacts');
  return existsSync(moved) ? moved : r.artifact_uri;
}

export function newRunId(): string {
  return randomUUID().replaceAll('-', '');
}

/** Start a run (status RUNNING) in the experiment (created if needed); returns its 32-hex run id. */
export function startRun(db: Db, opts: StartRunOptions): string {
  if (opts.name.trim() === '') throw new TrackError('run name is empty');
  return db.transaction(() => {
    const exp = getOrCreateExperiment(db, opts.experiment, opts.artifactsRoot);
    const runId = newRunId();
    store.insertRun(db, {
      runId,
      experimentId: exp.id,
      name: opts.name,
      startTime: opts.startTime ?? Date.now(),
      artifactUri: join(exp.artifactLocation, runId, 'artifacts'),
      userId: opts.userId ?? osUser(),
    });
    if (opts.tags) setTags(db, runId, opts.tags);
    if (opts.params) logParams(db, runId, opts.params);
    return runId;
  })();
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return ''; // no passwd entry (some containers)
  }
}

/** Log params. Re-logging a key with the same value is a no-op; a different value throws ParamChangeError. */
export function logParams(db: Db, runId: string, params: Record<string, ParamValue>): void {
  const entries = stringEntries('param', params);
  inRun(db, runId, () => {
    const old = store.paramValues(db, runId, entries.map(([k]) => k));
    for (const [k, v] of entries) {
      const was = old.get(k);
      if (was !== undefined && was !== v) throw new ParamChangeError(runId, k, was, v);
    }
    store.insertParams(db, runId, entries.filter(([k]) => !old.has(k)));
  });
}

export function logParam(db: Db, runId: string, key: string, value: ParamValue): void {
  logParams(db, runId, { [key]: value });
}

/** Checked keys, with the values as stored (strings). */
function stringEntries(what: 'param' | 'tag', values: Record<string, ParamValue>): (readonly [string, string])[] {
  return Object.entries(values).map(([k, v]) => {
    checkKey(what, k);
    return [k, paramString(v)] as const;
  });
}

/** Run `write` in one transaction after checking that the run exists (RunNotFoundError otherwise). */
function inRun(db: Db, runId: string, write: () => void): void {
  db.transaction(() => {
    runRow(db, runId);
    write();
  })();
}

function paramString(v: ParamValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  throw new TrackError(`param value must be a string, number or boolean, got ${typeof v}`);
}

/** Log one metric value at `step` (default 0). Every call adds a point: history is kept. NaN and ±Infinity allowed. */
export function logMetric(db: Db, runId: string, key: string, value: number, step = 0, timestamp = Date.now()): void {
  logMetrics(db, runId, { [key]: value }, step, timestamp);
}

/** Log several metrics at the same step and timestamp, in one transaction. */
export function logMetrics(
  db: Db,
  runId: string,
  metrics: Record<string, number>,
  step = 0,
  timestamp = Date.now(),
): void {
  if (!Number.isSafeInteger(step)) throw new TrackError(`metric step must be an integer, got ${step}`);
  if (!Number.isSafeInteger(timestamp)) throw new TrackError(`metric timestamp must be integer ms, got ${timestamp}`);
  const entries = Object.entries(metrics);
  for (const [k, v] of entries) {
    checkKey('metric', k);
    if (typeof v !== 'number') throw new TrackError(`metric '${k}' must be a number, got ${typeof v}`);
  }
  inRun(db, runId, () => store.insertMetrics(db, runId, entries, step, timestamp));
}

/** Set (or overwrite) tags. */
export function setTags(db: Db, runId: string, tags: Record<string, ParamValue>): void {
  const entries = stringEntries('tag', tags);
  inRun(db, runId, () => store.upsertTags(db, runId, entries));
}

export function setTag(db: Db, runId: string, key: string, value: ParamValue): void {
  setTags(db, runId, { [key]: value });
}

/** Mark the run ended (default FINISHED) at `endTime` (default now). */
export function endRun(db: Db, runId: string, status: Exclude<RunStatus, 'RUNNING'> = 'FINISHED', endTime = Date.now()): void {
  // Checked at run time too: callers from JS or the CLI may pass any string.
  if (!(['FINISHED', 'FAILED', 'KILLED'] as string[]).includes(status)) {
    throw new TrackError(`endRun status must be FINISHED, FAILED or KILLED, got '${String(status)}'`);
  }
  inRun(db, runId, () => store.setRunEnd(db, runId, status, endTime));
}

/**
 * Write an artifact of the run at `<run artifacts folder>/<relPath>` (relPath uses '/'; '..', absolute paths and
 * backslashes are refused with InvalidNameError). Overwrites an artifact of the same path. Returns the file path.
 */
export function logArtifact(db: Db, runId: string, relPath: string, content: string | Uint8Array): string {
  return writeArtifactFile(runArtifactDir(db, runId), relPath, content);
}

/** The artifact's bytes, or null when the run has no such artifact. */
export function readArtifact(db: Db, runId: string, relPath: string): Buffer | null {
  return readArtifactFile(runArtifactDir(db, runId), relPath);
}

/** Relative paths of the run's artifacts, sorted. */
export function listRunArtifacts(db: Db, runId: string): string[] {
  return listArtifacts(runArtifactDir(db, runId));
}

/**
 * Start a run, give its id to `fn`, and end it FINISHED when `fn` resolves or FAILED (error kept in tag `error`)
 * when it throws. Returns fn's result.
 */
export async function withRun<T>(db: Db, opts: StartRunOptions, fn: (runId: string) => T | Promise<T>): Promise<T> {
  const runId = startRun(db, opts);
  try {
    const out = await fn(runId);
    endRun(db, runId, 'FINISHED');
    return out;
  } catch (e) {
    setTags(db, runId, { error: (e instanceof Error ? e.message : String(e)).slice(0, 5000) });
    endRun(db, runId, 'FAILED');
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

export interface ListRunsOptions {
  /** Experiment name; all experiments when absent. */
  experiment?: string;
  limit?: number;
}

/** Runs newest first (by start time), each with its latest metrics. */
export function listRuns(db: Db, opts: ListRunsOptions = {}): TrackedRunSummary[] {
  let expId: number | null = null;
  if (opts.experiment !== undefined) {
    const exp = getExperiment(db, opts.experiment);
    if (!exp) throw new ExperimentNotFoundError(opts.experiment);
    expId = exp.id;
  }
  const limit = opts.limit ?? -1; // SQLite: negative LIMIT = no limit
  return summarize(db, store.runRows(db, expId, limit));
}

/** Summaries for the given runs (order kept). */
function summarize(db: Db, rows: RunRow[]): TrackedRunSummary[] {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.run_id);
  const metrics = store.latestMetrics(db, ids);
  const keyList = Object.values(RUN_KEYS);
  const params = store.keyedValues(db, 'params', ids, keyList);
  const tags = store.keyedValues(db, 'tags', ids, keyList);
  return rows.map((r) => {
    const m = metrics.get(r.run_id) ?? {};
    return { ...summaryOf(r, params.get(r.run_id) ?? {}, tags.get(r.run_id) ?? {}, m), artifactUri: artifactDirOf(db, r) };
  });
}

function summaryOf(
  r: RunRow,
  params: Record<string, string>,
  tags: Record<string, string>,
  metrics: Record<string, number>,
): TrackedRunSummary {
  const pick = (k: string): string | undefined => params[k] ?? tags[k];
  const fromName = /^round_(\d+)(?:_(.+))?$/.exec(r.name);
  const roundText = pick(RUN_KEYS.round) ?? fromName?.[1];
  const nTrainText = pick(RUN_KEYS.nTrain);
  const round = roundText !== undefined && /^-?\d+$/.test(roundText) ? Number(roundText) : -1;
  let nTrain = nTrainText !== undefined && /^\d+$/.test(nTrainText) ? Number(nTrainText) : -1;
  if (nTrain < 0 && Number.isFinite(metrics[RUN_KEYS.nTrain])) nTrain = metrics[RUN_KEYS.nTrain];
  return {
    runId: r.run_id,
    experiment: r.experiment,
    name: r.name,
    round,
    strategy: pick(RUN_KEYS.strategy) ?? fromName?.[2] ?? '',
    engine: pick(RUN_KEYS.engine) ?? '',
    nTrain,
    startedAt: new Date(r.start_time).toISOString(),
    finishedAt: r.end_time === null ? null : new Date(r.end_time).toISOString(),
    status: r.status,
    metrics,
    experimentId: r.experiment_id,
    startTime: r.start_time,
    endTime: r.end_time,
    artifactUri: r.artifact_uri,
    userId: r.user_id,
  };
}

/** Every logged point of every metric of the run, by key, then step, then logging order. */
export function metricHistory(db: Db, runId: string, key?: string): MetricPoint[] {
  runRow(db, runId);
  return store.metricPoints(db, runId, key ?? null);
}

/** One run in full: params, tags, metric history, latest metrics, artifacts, and confusion/importance/balance. */
export function getRun(db: Db, runId: string): TrackedRun {
  const row = runRow(db, runId);
  const params = store.keyedValues(db, 'params', [runId]).get(runId) ?? {};
  const tags = store.keyedValues(db, 'tags', [runId]).get(runId) ?? {};
  const latest = store.latestMetrics(db, [runId]).get(runId) ?? {};
  const dir = artifactDirOf(db, row);
  const summary = { ...summaryOf(row, params, tags, latest), artifactUri: dir };
  const problems: string[] = [];
  // A malformed artifact must not hide the rest of the run: it reads as absent and is reported in `problems`.
  const tryRead = <T>(read: () => T, fallback: T): T => {
    try {
      return read();
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
      return fallback;
    }
  };
  return {
    ...summary,
    params,
    tags,
    metricHistory: metricHistory(db, runId),
    confusion: tryRead(() => readConfusion(dir), null),
    importance: tryRead(() => readImportance(dir) ?? [], []),
    balance: tryRead(() => readBalance(dir), null),
    artifacts: listArtifacts(dir),
    problems,
  };
}

/** All params of a run. */
export function getParams(db: Db, runId: string): Record<string, string> {
  runRow(db, runId);
  return store.keyedValues(db, 'params', [runId]).get(runId) ?? {};
}

/** All tags of a run. */
export function getTags(db: Db, runId: string): Record<string, string> {
  runRow(db, runId);
  return store.keyedValues(db, 'tags', [runId]).get(runId) ?? {};
}

/** Summaries of the given runs, in the given order (throws RunNotFoundError for an unknown id). */
export function getRunSummaries(db: Db, runIds: readonly string[]): TrackedRunSummary[] {
  return summarize(
    db,
    runIds.map((id) => runRow(db, id)),
  );
}

/** Params and latest metrics of several runs side by side (keys sorted; `differs` flags params that vary). */
export function compareRuns(db: Db, runIds: readonly string[]): RunComparison {
  const rows = runIds.map((id) => runRow(db, id));
  const params = store.keyedValues(db, 'params', runIds);
  const metrics = store.latestMetrics(db, runIds);
  const paramKeys = [...new Set(runIds.flatMap((id) => Object.keys(params.get(id) ?? {})))].sort();
  const metricKeys = [...new Set(runIds.flatMap((id) => Object.keys(metrics.get(id) ?? {})))].sort();
  return {
    runs: rows.map((r) => ({ runId: r.run_id, name: r.name, experiment: r.experiment, status: r.status })),
    params: paramKeys.map((key) => {
      const values = runIds.map((id) => params.get(id)?.[key] ?? null);
      return { key, values, differs: new Set(values).size > 1 };
    }),
    metrics: metricKeys.map((key) => ({ key, values: runIds.map((id) => metrics.get(id)?.[key] ?? null) })),
  };
}

/** Run ids of an experiment, oldest first (the order an export lists them). */
export function experimentRunIds(db: Db, experiment: string): string[] {
  const exp = getExperiment(db, experiment);
  if (!exp) throw new ExperimentNotFoundError(experiment);
  return store.experimentRunIdList(db, exp.id);
}
